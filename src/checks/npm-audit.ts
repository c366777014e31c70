import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PlannedGate } from '../config/model.js'
import type { Annotation, Outcome, Workspace } from '../engine/types.js'
import { tailLines } from '../util/exec.js'
import { cell, codeBlock, plural, stripAnsi } from '../util/text.js'
import { applyAuditWaivers } from './audit-waivers.js'
import { AuditDidNotRun, parseNpmAuditJson, SEVERITIES } from './parsers/npm-audit.js'
import type { AuditFinding, Severity } from './parsers/npm-audit.js'
import { repoPath, resolveInside } from './paths.js'
import { detectPackageManager } from './project-tools.js'

export interface NpmAuditOptions {
  'fail-on'?: Exclude<Severity, 'info'>
  omit?: Array<'dev' | 'optional' | 'peer'>
  /** true: every workspace; a list: those workspaces. */
  workspaces?: boolean | string[]
  'report-file'?: string
  registry?: string
  cwd?: string
}

const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json']

/**
 * The project's dependencies against the registry's advisories (`npm audit --json`). Fails closed:
 * no lockfile, an audit that did not run, or output that does not parse fails with the reason.
 */
export async function npmAuditCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = gate.with as NpmAuditOptions
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const failOn = options['fail-on'] ?? 'low'

  let text: string
  let lockfile: { path: string; text: string } | undefined
  if (options['report-file']) {
    const path = resolveInside(
      workspace.cwd,
      join(repoPath(workspace.cwd, dir), options['report-file'])
    )
    text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
      throw new Error(
        `cannot read the audit report ${options['report-file']}: ${error.code ?? error.message}`
      )
    })
  } else {
    const manager = await detectPackageManager(dir, dir)
    if (manager !== 'npm')
      return fail(
        `${manager} projects are not supported by npm-audit yet`,
        `A ${manager} lockfile was found in \`${repoPath(workspace.cwd, dir)}\`; auditing it with npm would not describe what ${manager} installs.`
      )
    lockfile = await readLockfile(dir)
    if (!lockfile)
      return fail(
        `No lockfile in ${repoPath(workspace.cwd, dir)}`,
        'npm audit needs `package-lock.json` or `npm-shrinkwrap.json` to know what is installed: commit the lockfile.'
      )
    const args = [
      'audit',
      '--json',
      ...(options.omit ?? []).map((type) => `--omit=${type}`),
      ...workspaceArgs(options.workspaces),
      ...(options.registry ? ['--registry', options.registry] : [])
    ]
    const result = await workspace.exec(['npm', ...args], {
      cwd: dir,
      env: workspace.env,
      signal: workspace.signal
    })
    text = result.stdout
    if (!text.trim() && result.code !== 0)
      return fail(
        `npm audit failed (exit ${result.code ?? result.signal})`,
        codeBlock(tailLines(stripAnsi(result.stderr), 20))
      )
  }

  let parsed
  try {
    parsed = parseNpmAuditJson(text)
  } catch (error) {
    if (error instanceof AuditDidNotRun)
      return fail(
        error.message,
        `${error.message}\n\nNo advisories were established, so the gate cannot pass.`
      )
    throw error
  }
  const match = applyAuditWaivers(parsed.findings, gate.waivers, workspace.now)
  const threshold = SEVERITIES.indexOf(failOn)
  const blocking = match.open.filter((finding) => SEVERITIES.indexOf(finding.severity) >= threshold)
  const below = match.open.length - blocking.length
  const scope =
    parsed.dependencies === undefined
      ? ''
      : ` in ${plural(parsed.dependencies, 'dependency', 'dependencies')}`
  const title = blocking.length
    ? `${plural(blocking.length, 'vulnerability', 'vulnerabilities')} at or above ${failOn}: ${countBySeverity(blocking)}${below ? `; ${below} below` : ''}`
    : match.open.length || match.waived.length
      ? `No vulnerability at or above ${failOn}${scope} (${[countBySeverity(match.open), match.waived.length ? `${match.waived.length} waived` : ''].filter(Boolean).join('; ')})`
      : `No known vulnerabilities${scope}`
  const installed = lockfile ? installedVersions(lockfile.text) : new Map<string, string>()
  return {
    conclusion: blocking.length ? 'failure' : 'success',
    title,
    summary: renderSummary(match, installed, failOn),
    annotations: lockfile
      ? blocking.map((finding) =>
          lockfileAnnotation(finding, lockfile!, repoPath(workspace.cwd, join(dir, lockfile!.path)))
        )
      : []
  }
}

function workspaceArgs(workspaces: NpmAuditOptions['workspaces']): string[] {
  if (workspaces === true) return ['--workspaces']
  return Array.isArray(workspaces) ? workspaces.map((name) => `--workspace=${name}`) : []
}

async function readLockfile(dir: string): Promise<{ path: string; text: string } | undefined> {
  for (const path of LOCKFILES) {
    try {
      return { path, text: await readFile(join(dir, path), 'utf8') }
    } catch {
      // try the next name
    }
  }
  return undefined
}

/** Installed versions by tree path, from the lockfile (npm's report does not carry them). */
function installedVersions(lockText: string): Map<string, string> {
  try {
    const packages =
      (JSON.parse(lockText) as { packages?: Record<string, { version?: string }> }).packages ?? {}
    return new Map(
      Object.entries(packages).flatMap(([path, entry]) =>
        entry.version ? [[path, entry.version]] : []
      )
    )
  } catch {
    return new Map()
  }
}

function lockfileAnnotation(
  finding: AuditFinding,
  lockfile: { text: string },
  path: string
): Annotation {
  const key = `"${finding.paths[0] ?? `node_modules/${finding.package}`}": {`
  const index = lockfile.text.split('\n').findIndex((line) => line.includes(key))
  return {
    path,
    line: index + 1 || 1,
    level: finding.severity === 'critical' || finding.severity === 'high' ? 'failure' : 'warning',
    title: `${finding.severity}: ${finding.advisoryId}`,
    message: `${finding.package} ${finding.range}: ${finding.title}${finding.url ? ` (${finding.url})` : ''}`
  }
}

function countBySeverity(findings: AuditFinding[]): string {
  return [...SEVERITIES]
    .reverse()
    .map(
      (severity) =>
        [severity, findings.filter((finding) => finding.severity === severity).length] as const
    )
    .filter(([, count]) => count > 0)
    .map(([severity, count]) => `${count} ${severity}`)
    .join(', ')
}

function renderSummary(
  match: ReturnType<typeof applyAuditWaivers>,
  installed: Map<string, string>,
  failOn: string
): string {
  const row = (finding: AuditFinding, note = '') => {
    const fix = !finding.fix.available
      ? 'no fix'
      : finding.fix.version
        ? `${finding.fix.name}@${finding.fix.version}${finding.fix.major ? ' (major)' : ''}`
        : 'available'
    const advisory = finding.url ? `[${finding.advisoryId}](${finding.url})` : finding.advisoryId
    return `| ${finding.severity}${note} | \`${finding.package}\` | ${installed.get(finding.paths[0] ?? '') ?? '?'} | ${advisory} ${cell(finding.title)} | ${cell(finding.paths.join(', '))} | ${fix} |`
  }
  const parts = [`Fails on **${failOn}** and above.`]
  if (match.open.length || match.waived.length) {
    parts.push(
      [
        '| Severity | Package | Installed | Advisory | Path | Fixed in |',
        '|---|---|---|---|---|---|',
        ...match.open.map((finding) => row(finding)),
        ...match.waived.map(({ finding }) => row(finding, ' (waived)'))
      ].join('\n')
    )
  }
  const waiverLines = [
    ...match.waived.map(
      ({ finding, waiver }) =>
        `- 🟡 ${finding.advisoryId} in \`${finding.package}\` waived by ${waiver.owner} until ${waiver.expires} (\`${waiver.location}\`): ${waiver.reason}`
    ),
    ...match.expired.map(
      (waiver) =>
        `- ⌛ **expired** ${waiver.expires}: ${waiver.id ?? waiver.package ?? waiver.path} (${waiver.owner}, \`${waiver.location}\`): waives nothing any more`
    ),
    ...match.unused.map(
      (waiver) =>
        `- ❔ **unused**: ${waiver.id ?? waiver.package ?? waiver.path} (${waiver.owner}, \`${waiver.location}\`) matched no finding: remove it`
    )
  ]
  if (waiverLines.length) parts.push(['Waivers:', '', ...waiverLines].join('\n'))
  return parts.join('\n\n')
}

function fail(title: string, summary: string): Outcome {
  return { conclusion: 'failure', title, summary, annotations: [] }
}
