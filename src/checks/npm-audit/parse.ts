export const SEVERITIES = ['info', 'low', 'moderate', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

/** One advisory affecting one package. */
export interface AuditFinding {
  package: string
  /** GHSA id (from the advisory URL), or the registry's numeric id when there is none. */
  advisoryId: string
  /** Other ids of the same advisory (CVE), when the report names them. */
  aliases?: string[]
  /** The installed version, when the report names it (npm's does not: see the lockfile). */
  installed?: string
  title: string
  url?: string
  severity: Severity
  /** The vulnerable range the advisory names. */
  range: string
  /** Where the package sits in the tree, e.g. node_modules/a/node_modules/minimist. */
  paths: string[]
  /** Whether the project depends on it directly. */
  direct: boolean
  /** The remedy: none, one (the version `npm audit fix` would move to), or not reported (yarn 4). */
  fix:
    | { available: false }
    | { available: 'unknown' }
    | { available: true; name?: string; version?: string; major?: boolean }
}

/** What an audit established: its findings, and how many dependencies it looked at. */
export interface AuditReport {
  findings: AuditFinding[]
  dependencies?: number
  /** npm's own "N vulnerabilities": vulnerable packages, not advisories. */
  vulnerablePackages?: number
}

/** Worst severity first, then by package name. */
export function sortWorstFirst(findings: AuditFinding[]): AuditFinding[] {
  return findings.sort(
    (a, b) =>
      SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity) ||
      a.package.localeCompare(b.package)
  )
}

/** The audit did not run: no advisories were established, so nothing may pass. */
export class AuditDidNotRun extends Error {}

interface NpmVia {
  source?: number
  name?: string
  title?: string
  url?: string
  severity?: string
  range?: string
}

/**
 * Parses `npm audit --json` (npm 7+, auditReportVersion 2). Anything else, including npm's error
 * object when the advisory endpoint failed (which exits 1 like a finding), throws AuditDidNotRun.
 */
export function parseNpmAuditJson(text: string): AuditReport {
  let data: Record<string, unknown>
  try {
    data = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new AuditDidNotRun(
      `npm audit did not print JSON${text.trim() ? `: ${text.trim().slice(0, 200)}` : ' (no output)'}`
    )
  }
  if (
    data.auditReportVersion !== 2 ||
    typeof data.vulnerabilities !== 'object' ||
    data.vulnerabilities === null
  ) {
    const message =
      typeof data.message === 'string'
        ? data.message
        : (data.error as { summary?: string } | undefined)?.summary
    throw new AuditDidNotRun(
      message
        ? `npm audit failed: ${message}`
        : 'npm audit printed no audit report (expected auditReportVersion 2)'
    )
  }
  const vulnerabilities = data.vulnerabilities as Record<
    string,
    {
      isDirect?: boolean
      via?: Array<NpmVia | string>
      nodes?: string[]
      fixAvailable?: boolean | { name: string; version: string; isSemVerMajor: boolean }
    }
  >
  const findings: AuditFinding[] = []
  for (const [name, vulnerability] of Object.entries(vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      // A string names another vulnerable package this one depends on: that package's own
      // entry carries the advisory, so it is counted there, once.
      if (typeof via === 'string') continue
      const severity = (SEVERITIES as readonly string[]).includes(via.severity ?? '')
        ? (via.severity as Severity)
        : 'info'
      const fixAvailable = vulnerability.fixAvailable
      findings.push({
        package: via.name ?? name,
        advisoryId: /GHSA-[\w-]+/.exec(via.url ?? '')?.[0] ?? String(via.source ?? 'unknown'),
        title: via.title ?? '(no title)',
        ...(via.url && { url: via.url }),
        severity,
        range: via.range ?? '',
        paths: vulnerability.nodes ?? [],
        direct: vulnerability.isDirect === true,
        fix:
          fixAvailable === undefined || fixAvailable === false
            ? { available: false }
            : fixAvailable === true
              ? { available: true }
              : {
                  available: true,
                  name: fixAvailable.name,
                  version: fixAvailable.version,
                  major: fixAvailable.isSemVerMajor
                }
      })
    }
  }
  sortWorstFirst(findings)
  const metadata = data.metadata as
    { dependencies?: { total?: unknown }; vulnerabilities?: { total?: unknown } } | undefined
  const total = metadata?.dependencies?.total
  const vulnerable = metadata?.vulnerabilities?.total
  return {
    findings,
    ...(typeof total === 'number' && { dependencies: total }),
    ...(typeof vulnerable === 'number' && { vulnerablePackages: vulnerable })
  }
}

/** An advisory in npm 6's audit format (pnpm's and yarn 1's reports). */
export interface V6Advisory {
  id?: number
  module_name?: string
  title?: string
  url?: string
  github_advisory_id?: string
  cves?: string[]
  severity?: string
  vulnerable_versions?: string
  patched_versions?: string
  findings?: Array<{ version?: string; paths?: string[] }>
}

/**
 * Parses the npm 6 audit format that `pnpm audit --json` prints (advisories keyed by id, each
 * with the installed versions and the paths that reach them). pnpm's error object, or anything
 * else, throws AuditDidNotRun.
 */
export function parseAuditV6Json(text: string, tool: string): AuditReport {
  let data: Record<string, unknown>
  try {
    data = JSON.parse(text) as Record<string, unknown>
  } catch {
    throw new AuditDidNotRun(
      `${tool} audit did not print JSON${text.trim() ? `: ${text.trim().slice(0, 200)}` : ' (no output)'}`
    )
  }
  if (typeof data.advisories !== 'object' || data.advisories === null) {
    const error = data.error as { message?: string; code?: string } | undefined
    throw new AuditDidNotRun(
      error?.message
        ? `${tool} audit failed: ${error.message}`
        : `${tool} audit printed no audit report`
    )
  }
  const findings: AuditFinding[] = []
  for (const advisory of Object.values(data.advisories as Record<string, V6Advisory>)) {
    const severity = (SEVERITIES as readonly string[]).includes(advisory.severity ?? '')
      ? (advisory.severity as Severity)
      : 'info'
    const patched =
      advisory.patched_versions && advisory.patched_versions !== '<0.0.0'
        ? advisory.patched_versions
        : undefined
    for (const finding of advisory.findings ?? []) {
      const paths = finding.paths ?? []
      findings.push({
        package: advisory.module_name ?? '(unknown)',
        advisoryId:
          advisory.github_advisory_id ??
          /GHSA-[\w-]+/.exec(advisory.url ?? '')?.[0] ??
          String(advisory.id ?? 'unknown'),
        ...(advisory.cves?.length && { aliases: advisory.cves }),
        ...(finding.version && { installed: finding.version }),
        title: advisory.title ?? '(no title)',
        ...(advisory.url && { url: advisory.url }),
        severity,
        range: advisory.vulnerable_versions ?? '',
        paths,
        // ".>lodash" is the root importer's own dependency.
        direct: paths.some((path) => path.split('>').length <= 2),
        fix: patched ? { available: true, version: patched } : { available: false }
      })
    }
  }
  sortWorstFirst(findings)
  const total = (data.metadata as { totalDependencies?: unknown } | undefined)?.totalDependencies
  return { findings, ...(typeof total === 'number' && { dependencies: total }) }
}
