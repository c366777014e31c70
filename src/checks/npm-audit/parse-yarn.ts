import { stripAnsi } from '../../util/text.js'
import { auditErrorReason } from './errors.js'
import { AuditDidNotRun, parseAuditV6Json, SEVERITIES, sortWorstFirst } from './parse.js'
import type { AuditFinding, AuditReport, Severity, V6Advisory } from './parse.js'

interface YarnClassicLine {
  type?: string
  data?: unknown
}

/**
 * Parses `yarn audit --json` (yarn 1): JSON lines, one `auditAdvisory` per advisory and path,
 * then an `auditSummary`. Without the summary the audit did not run (yarn exits 1 then, as it
 * does for some findings): throws AuditDidNotRun with yarn's `error` line.
 */
export function parseYarnClassicAudit(stdout: string, stderr = ''): AuditReport {
  const lines = jsonLines(stdout) as YarnClassicLine[]
  const summary = lines.find((line) => line.type === 'auditSummary')?.data as
    { totalDependencies?: unknown } | undefined
  if (!summary) {
    const error = [...lines, ...(jsonLines(stderr) as YarnClassicLine[])].find(
      (line) => line.type === 'error' && typeof line.data === 'string'
    )?.data as string | undefined
    // yarn reports a failed request as an error line, or crashes with a stack on stderr.
    const reason = error?.split('\n')[0]?.replace(/^Error: /, '') ?? auditErrorReason(stderr)
    if (reason && /returned a 410\b/.test(reason))
      throw new AuditDidNotRun(
        `yarn audit failed: ${reason}: the registry has retired the audit endpoint yarn 1 uses, and yarn 1 cannot ask another. Audit with yarn 4 (yarn npm audit) or npm, or read a report-file`
      )
    // Not yarn 1 at all (yarn 4 on a yarn 1 lockfile says so in plain text).
    const plain = stdout.split('\n').find((line) => line.trim() && !line.trim().startsWith('{'))
    throw new AuditDidNotRun(
      reason
        ? `yarn audit failed: ${reason}`
        : `yarn audit printed no audit summary${plain ? `: ${firstLine(plain)}` : ''}`
    )
  }
  // One finding per advisory and installed version; yarn repeats the advisory for each path.
  const byKey = new Map<string, AuditFinding>()
  for (const line of lines) {
    if (line.type !== 'auditAdvisory') continue
    const { resolution, advisory } = line.data as {
      resolution: { path: string }
      advisory: V6Advisory
    }
    const installed = advisory.findings?.find((finding) =>
      finding.paths?.includes(resolution.path)
    )?.version
    const key = `${advisory.id}@${installed}`
    const existing = byKey.get(key)
    if (existing) {
      if (!existing.paths.includes(resolution.path)) existing.paths.push(resolution.path)
      existing.direct ||= !resolution.path.includes('>')
      continue
    }
    const patched =
      advisory.patched_versions && advisory.patched_versions !== '<0.0.0'
        ? advisory.patched_versions
        : undefined
    byKey.set(key, {
      package: advisory.module_name ?? '(unknown)',
      advisoryId: advisoryId(advisory.github_advisory_id, advisory.url, advisory.id),
      ...(advisory.cves?.length && { aliases: advisory.cves }),
      ...(installed && { installed }),
      title: advisory.title ?? '(no title)',
      ...(advisory.url && { url: advisory.url }),
      severity: severity(advisory.severity),
      range: advisory.vulnerable_versions ?? '',
      paths: [resolution.path],
      direct: !resolution.path.includes('>'),
      fix: patched ? { available: true, version: patched } : { available: false }
    })
  }
  const total = summary.totalDependencies
  return {
    findings: sortWorstFirst([...byKey.values()]),
    ...(typeof total === 'number' && { dependencies: total })
  }
}

interface YarnBerryLine {
  value?: string
  children?: {
    ID?: number | string
    Issue?: string
    URL?: string
    Severity?: string
    'Vulnerable Versions'?: string
    'Tree Versions'?: string[]
    Dependents?: string[]
  }
}

/**
 * Parses `yarn npm audit --json` (yarn 4): a JSON line per advisory and package, and nothing at
 * all when there is no finding. So an empty output only counts as clean when yarn exited 0; yarn
 * crashing on a failed request (exit 1, a stack on stderr) throws AuditDidNotRun with its reason.
 * Yarn 3 printed npm 6's format, which is read as such.
 */
export function parseYarnBerryAudit(
  stdout: string,
  exitCode: number | null,
  stderr = ''
): AuditReport {
  if (/^\s*\{\s*"advisories"/.test(stdout)) return parseAuditV6Json(stdout, 'yarn npm')
  const text = stdout.trim()
  const lines: YarnBerryLine[] = []
  for (const raw of text ? text.split('\n') : []) {
    try {
      lines.push(JSON.parse(raw) as YarnBerryLine)
    } catch {
      // yarn reports a failed request in plain lines: the reason, then the response code.
      const status = /Response Code: (.+)$/m.exec(text)?.[1]
      throw new AuditDidNotRun(
        `yarn npm audit failed: ${firstLine(raw)}${status ? ` (HTTP ${status})` : ''}`
      )
    }
  }
  const findings = lines.filter((line) => line.value && line.children?.Severity)
  if (!findings.length && exitCode !== 0)
    throw new AuditDidNotRun(
      `yarn npm audit failed (exit ${exitCode ?? 'signal'}): ${auditErrorReason(stderr) ?? (firstLine(text) || 'no report')}`
    )
  return {
    findings: sortWorstFirst(
      findings.flatMap(({ value, children }) => {
        const dependents = children!.Dependents ?? []
        const versions = children!['Tree Versions']?.length
          ? children!['Tree Versions']
          : [undefined]
        return versions.map((installed): AuditFinding => ({
          package: value!,
          advisoryId: advisoryId(undefined, children!.URL, children!.ID),
          ...(installed && { installed }),
          title: children!.Issue ?? '(no title)',
          ...(children!.URL && { url: children!.URL }),
          severity: severity(children!.Severity),
          range: children!['Vulnerable Versions'] ?? '',
          paths: dependents,
          // A workspace depends on it itself: "shop@workspace:.".
          direct: dependents.some((dependent) => dependent.includes('@workspace:')),
          fix: { available: 'unknown' }
        }))
      })
    )
  }
}

function jsonLines(text: string): unknown[] {
  return text.split('\n').flatMap((line) => {
    if (!line.trim().startsWith('{')) return []
    try {
      return [JSON.parse(line) as unknown]
    } catch {
      return []
    }
  })
}

function advisoryId(
  ghsa: string | undefined,
  url: string | undefined,
  id: number | string | undefined
): string {
  return ghsa ?? /GHSA-[\w-]+/.exec(url ?? '')?.[0] ?? String(id ?? 'unknown')
}

function severity(value: string | undefined): Severity {
  return (SEVERITIES as readonly string[]).includes(value ?? '') ? (value as Severity) : 'info'
}

function firstLine(text: string): string {
  const line = stripAnsi(text).split('\n')[0] ?? ''
  // yarn 4 starts its report lines with an arrow: "➤ YN0035: …".
  return line.replace(/^\s*➤\s*/, '').slice(0, 300)
}
