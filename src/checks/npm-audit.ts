import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { PlannedGate } from '../config/model.js'
import type { Annotation, Outcome, Workspace } from '../engine/types.js'
import { tailLines } from '../util/exec.js'
import { cell, codeBlock, plural, stripAnsi } from '../util/text.js'
import { applyAuditWaivers } from './audit-waivers.js'
import {
  AuditDidNotRun,
  parseAuditV6Json,
  parseNpmAuditJson,
  SEVERITIES
} from './parsers/npm-audit.js'
import type { AuditFinding, Severity } from './parsers/npm-audit.js'
import { failed } from './outcome.js'
import { repoPath, resolveFrom, resolveInside } from './paths.js'
import { detectPackageManager, findProjectBin, upTo } from './project-tools.js'

export interface NpmAuditOptions {
  'fail-on'?: Exclude<Severity, 'info'>
  omit?: Array<'dev' | 'optional' | 'peer'>
  /** true: every workspace; a list: those workspaces. */
  workspaces?: boolean | string[]
  'report-file'?: string
  registry?: string
  cwd?: string
}

/** How each supported package manager audits: its lockfiles, its arguments, its report format. */
const AUDITS = {
  npm: {
    lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    args: (options: NpmAuditOptions): string[] | string => [
      'audit',
      '--json',
      ...(options.omit ?? []).map((type) => `--omit=${type}`),
      ...(options.workspaces === true
        ? ['--workspaces']
        : Array.isArray(options.workspaces)
          ? options.workspaces.map((name) => `--workspace=${name}`)
          : []),
      ...(options.registry ? ['--registry', options.registry] : [])
    ],
    parse: (text: string) => parseNpmAuditJson(text)
  },
  pnpm: {
    lockfiles: ['pnpm-lock.yaml'],
    // pnpm audits every importer of its lockfile; it cannot pick workspaces.
    args: (options: NpmAuditOptions): string[] | string =>
      Array.isArray(options.workspaces)
        ? 'pnpm audit cannot audit single workspaces: use workspaces: true or none'
        : [
            'audit',
            '--json',
            ...(options.omit?.includes('dev') ? ['--prod'] : []),
            ...(options.omit?.includes('optional') ? ['--no-optional'] : []),
            ...(options.registry ? ['--registry', options.registry] : [])
          ],
    parse: (text: string) => parseAuditV6Json(text, 'pnpm')
  }
}

/** A report read from a file: npm 7+ (auditReportVersion 2) or the npm 6 format pnpm writes. */
function parseAnyReport(text: string): { findings: AuditFinding[]; dependencies?: number } {
  return /"auditReportVersion"\s*:/.test(text) || !/"advisories"\s*:/.test(text)
    ? parseNpmAuditJson(text)
    : parseAuditV6Json(text, 'the')
}

/**
 * The project's dependencies against the registry's advisories (`npm audit --json`). Fails closed:
 * no lockfile, an audit that did not run, or output that does not parse fails with the reason.
 */
export async function npmAuditCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = gate.with as NpmAuditOptions
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const failOn = options['fail-on'] ?? 'low'

  let parsed: { findings: AuditFinding[]; dependencies?: number }
  let lockfile: { path: string; text: string } | undefined
  try {
    if (options['report-file']) {
      const path = resolveFrom(workspace.cwd, dir, options['report-file'])
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new Error(
          `cannot read the audit report ${options['report-file']}: ${error.code ?? error.message}`
        )
      })
      parsed = parseAnyReport(text)
    } else {
      // A monorepo package's lockfile usually sits at the root: look from cwd up to it.
      const manager = await detectPackageManager(workspace.cwd, dir)
      const run = AUDITS[manager as keyof typeof AUDITS]
      if (!run)
        return failed(
          `${manager} projects are not supported by npm-audit yet`,
          `A ${manager} lockfile was found in \`${repoPath(workspace.cwd, dir)}\`; auditing it with npm would not describe what ${manager} installs.`
        )
      lockfile = await readLockfile(workspace.cwd, dir, run.lockfiles)
      if (!lockfile)
        return failed(
          `No lockfile in ${repoPath(workspace.cwd, dir)}`,
          `${manager} audit needs ${run.lockfiles.map((name) => `\`${name}\``).join(' or ')} to know what is installed: commit the lockfile.`
        )
      const args = run.args(options)
      if (typeof args === 'string') return failed(args, args)
      const bin =
        manager === 'npm'
          ? 'npm'
          : await findProjectBin(workspace.cwd, dir, manager, manager).catch(() => manager)
      const result = await workspace.exec([bin, ...args], {
        cwd: dir,
        env: workspace.env,
        signal: workspace.signal
      })
      if (!result.stdout.trim() && result.code !== 0)
        return failed(
          `${manager} audit failed (exit ${result.code ?? result.signal})`,
          codeBlock(tailLines(stripAnsi(result.stderr), 20))
        )
      parsed = run.parse(result.stdout)
    }
  } catch (error) {
    if (error instanceof AuditDidNotRun)
      return failed(
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
          lockfileAnnotation(finding, lockfile!, repoPath(workspace.cwd, lockfile!.path))
        )
      : []
  }
}

/** The nearest lockfile from `dir` up to the repository root; `path` is absolute. */
async function readLockfile(
  root: string,
  dir: string,
  names: string[]
): Promise<{ path: string; text: string } | undefined> {
  for (const candidate of upTo(root, dir)) {
    for (const name of names) {
      try {
        return { path: join(candidate, name), text: await readFile(join(candidate, name), 'utf8') }
      } catch {
        // try the next name, then the parent
      }
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
  // package-lock.json: "node_modules/a/node_modules/b": {   pnpm-lock.yaml:   b@1.2.0:
  const keys = [
    `"${finding.paths[0] ?? `node_modules/${finding.package}`}": {`,
    `  ${finding.package}@${finding.installed ?? ''}:`
  ]
  const index = lockfile.text
    .split('\n')
    .findIndex((line) => keys.some((key) => line.includes(key)))
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
    return `| ${finding.severity}${note} | \`${finding.package}\` | ${finding.installed ?? installed.get(finding.paths[0] ?? '') ?? '?'} | ${advisory} ${cell(finding.title)} | ${cell(finding.paths.join(', '))} | ${fix} |`
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
