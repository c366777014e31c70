import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { NpmAuditOptions } from '../../config/generated/options.js'

export type { NpmAuditOptions }
import { readFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { parse as parseYaml } from 'yaml'
import type { PlannedGate } from '../../config/model.js'
import { fingerprintOf } from '../../engine/findings.js'
import type { Annotation, Finding, Outcome, Workspace } from '../../model/types.js'
import { parseDuration } from '../../util/duration.js'
import { tailLines } from '../../util/exec.js'
import { cell, codeBlock, plural, stripAnsi } from '../../util/text.js'
import { AuditDidNotRun, parseAuditV6Json, parseNpmAuditJson, SEVERITIES } from './parse.js'
import type { AuditFinding, AuditReport, Severity } from './parse.js'
import { auditErrorReason } from './errors.js'
import { parseYarnBerryAudit, parseYarnClassicAudit } from './parse-yarn.js'
import { failed } from '../shared/outcome.js'
import { repoPath, resolveFrom, resolveInside } from '../shared/paths.js'
import { detectPackageManager, findProjectBin, upTo } from '../shared/project-tools.js'

/** Registry failures worth another try: the next answer may be a real one. */
const TRANSIENT = /\b5\d\d\b|ECONNRESET|ETIMEDOUT|EAI_AGAIN|ECONNREFUSED|socket hang up/i
/** Answers that say this registry does not serve the audit endpoint at all. */
const REFUSED = /\b(404|405)\b/

/** How one package manager audits: its lockfiles, its command, its report format. */
interface AuditTool {
  lockfiles: string[]
  /** The arguments and extra environment, or why these options cannot be honoured. */
  command(options: NpmAuditOptions): { args: string[]; env?: Record<string, string> } | string
  parse(result: { stdout: string; stderr: string; code: number | null }): AuditReport
}

const AUDITS: Record<'npm' | 'pnpm' | 'yarn' | 'yarn-berry', AuditTool> = {
  npm: {
    lockfiles: ['package-lock.json', 'npm-shrinkwrap.json'],
    command: (options) => ({
      args: [
        'audit',
        '--json',
        ...(options.omit ?? []).map((type) => `--omit=${type}`),
        ...(options.workspaces === true
          ? ['--workspaces']
          : Array.isArray(options.workspaces)
            ? options.workspaces.map((name) => `--workspace=${name}`)
            : []),
        ...(options.registry ? ['--registry', options.registry] : [])
      ]
    }),
    parse: ({ stdout }) => parseNpmAuditJson(stdout)
  },
  pnpm: {
    lockfiles: ['pnpm-lock.yaml'],
    // pnpm audits every importer of its lockfile; it cannot pick workspaces.
    command: (options) =>
      Array.isArray(options.workspaces)
        ? 'pnpm audit cannot audit single workspaces: use workspaces: true or none'
        : {
            args: [
              'audit',
              '--json',
              ...(options.omit?.includes('dev') ? ['--prod'] : []),
              ...(options.omit?.includes('optional') ? ['--no-optional'] : []),
              ...(options.registry ? ['--registry', options.registry] : [])
            ]
          },
    parse: ({ stdout }) => parseAuditV6Json(stdout, 'pnpm')
  },
  yarn: {
    lockfiles: ['yarn.lock'],
    command: (options) => {
      // yarn 1 posts its audit to a hard-wired registry (yarnpkg/yarn#7012) and always audits
      // the whole workspace: options it would silently ignore are refused instead.
      if (options.registry)
        return 'yarn 1 cannot audit against another registry: it always asks registry.yarnpkg.com (remove registry, or read a report-file)'
      if (Array.isArray(options.workspaces))
        return 'yarn audit cannot audit single workspaces: use workspaces: true or none'
      const groups = ['dependencies', 'devDependencies', 'optionalDependencies'].filter(
        (group) =>
          !(group === 'devDependencies' && options.omit?.includes('dev')) &&
          !(group === 'optionalDependencies' && options.omit?.includes('optional'))
      )
      return { args: ['audit', '--json', ...(groups.length < 3 ? ['--groups', ...groups] : [])] }
    },
    parse: ({ stdout, stderr }) => parseYarnClassicAudit(stdout, stderr)
  },
  'yarn-berry': {
    lockfiles: ['yarn.lock'],
    command: (options) => {
      if (Array.isArray(options.workspaces))
        return 'yarn npm audit cannot audit single workspaces: use workspaces: true or none'
      if (options.omit?.some((type) => type !== 'dev'))
        return 'yarn npm audit can only leave out dev dependencies: use omit: [dev]'
      const registry = options.registry ? new URL(options.registry) : undefined
      return {
        // --recursive: without it yarn audits direct dependencies only.
        args: [
          'npm',
          'audit',
          '--json',
          '--recursive',
          // Deprecated packages are not vulnerabilities, and asking about them needs the registry.
          '--no-deprecations',
          ...(options.omit?.includes('dev') ? ['--environment', 'production'] : []),
          ...(options.workspaces === true ? ['--all'] : [])
        ],
        env: registry
          ? {
              YARN_NPM_AUDIT_REGISTRY: options.registry!.replace(/\/$/, ''),
              // yarn refuses plain http unless told; naming an http registry says so.
              ...(registry.protocol === 'http:' && {
                YARN_UNSAFE_HTTP_WHITELIST: registry.hostname
              })
            }
          : {}
      }
    },
    parse: ({ stdout, stderr, code }) => parseYarnBerryAudit(stdout, code, stderr)
  }
}

/** A report read from a file: npm 7+ (auditReportVersion 2), npm 6's format (pnpm), or yarn's lines. */
function parseAnyReport(text: string): AuditReport {
  if (/"type"\s*:\s*"audit(Summary|Advisory)"/.test(text)) return parseYarnClassicAudit(text)
  if (/^\s*\{"value":/.test(text)) return parseYarnBerryAudit(text, 1)
  return /"auditReportVersion"\s*:/.test(text) || !/"advisories"\s*:/.test(text)
    ? parseNpmAuditJson(text)
    : parseAuditV6Json(text, 'the')
}

/**
 * The project's dependencies against the registry's advisories, asked with the project's own
 * package manager. Fails closed: no lockfile, an audit that did not run, or output that does not
 * parse fails with the reason.
 */
export async function npmAuditCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'npm-audit')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const failOn = options['fail-on'] ?? 'low'

  let parsed: AuditReport
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
      const manager = options['package-manager'] ?? (await detectPackageManager(workspace.cwd, dir))
      if (!(manager in AUDITS))
        return failed(
          `${manager} projects are not supported by npm-audit`,
          `A ${manager} lockfile was found in \`${repoPath(workspace.cwd, dir)}\`; auditing it with npm would not describe what ${manager} installs.`
        )
      lockfile = await readLockfile(workspace.cwd, dir, AUDITS[manager as 'npm'].lockfiles)
      if (!lockfile)
        return failed(
          `No lockfile in ${repoPath(workspace.cwd, dir)}`,
          `${manager} audit needs ${AUDITS[manager as 'npm'].lockfiles.map((name) => `\`${name}\``).join(' or ')} to know what is installed: commit the lockfile.`
        )
      // yarn 2+ writes a YAML lockfile with __metadata; yarn 1's is its own format.
      const tool =
        manager === 'yarn' && /^__metadata:/m.test(lockfile.text)
          ? 'yarn-berry'
          : (manager as keyof typeof AUDITS)
      const run = AUDITS[tool]
      const command = run.command(options)
      if (typeof command === 'string') return failed(command, command)
      const bin = await auditBinary(tool, workspace.cwd, dir, dirname(lockfile.path))
      const retries = options.retries ?? 2
      let delay = parseDuration(options['retry-delay'] ?? '1s')
      let attempts = 0
      let result
      // Why this attempt established no advisories: the message, ready for the title.
      let reason: string | undefined
      let report: AuditReport | undefined
      for (;;) {
        attempts++
        result = await workspace.exec([...bin, ...command.args], {
          cwd: dir,
          env: { ...workspace.env, ...command.env },
          signal: workspace.signal
        })
        // npm, pnpm and yarn 1 print nothing on stdout when they fail before auditing; npm
        // prints its error as JSON, which the parser turns into AuditDidNotRun.
        const failedEarly = !result.stdout.trim() && result.code !== 0 && tool !== 'yarn-berry'
        reason = failedEarly
          ? `${manager} audit failed: ${auditErrorReason(result.stderr) ?? `exit ${result.code ?? result.signal}`}`
          : undefined
        if (!reason) {
          try {
            report = run.parse(result)
          } catch (error) {
            if (!(error instanceof AuditDidNotRun)) throw error
            reason = error.message
          }
        }
        if (!reason || !TRANSIENT.test(reason) || REFUSED.test(reason) || attempts > retries) break
        await sleep(delay, undefined, { signal: workspace.signal })
        delay *= 2
      }
      if (reason || !report)
        return failed(
          `${reason ?? `${manager} audit failed`}${attempts > 1 ? ` (${attempts} attempts)` : ''}`,
          [
            'No advisories were established, so the gate cannot pass.',
            ...(reason && REFUSED.test(reason)
              ? [
                  `The registry refuses the audit endpoint (some mirrors and private registries do not serve it). Point \`registry\` at one that does, or run \`${manager} audit --json > audit.json\` where one is reachable and give the gate \`report-file: audit.json\`.`
                ]
              : []),
            codeBlock(tailLines(stripAnsi(result.stderr), 20))
          ].join('\n\n')
        )
      parsed = report
      // yarn 1 sends its whole tree whatever --groups says: drop what only devDependencies reach.
      if (tool === 'yarn' && options.omit?.includes('dev'))
        parsed = withoutDevOnly(parsed, await readManifest(dirname(lockfile.path)))
    }
  } catch (error) {
    if (error instanceof AuditDidNotRun)
      return failed(
        error.message,
        `${error.message}\n\nNo advisories were established, so the gate cannot pass.`
      )
    throw error
  }
  const threshold = SEVERITIES.indexOf(failOn)
  const counts = (finding: AuditFinding) => SEVERITIES.indexOf(finding.severity) >= threshold
  const installed = lockfile ? installedVersions(lockfile.text) : new Map<string, string>()
  const report = parsed
  // The engine's waivers take out what they cover; then the verdict is told again from the rest.
  const describe = (judged: Finding[]): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const waived = report.findings.filter((_finding, index) => judged[index]?.waived)
    const open = report.findings.filter((_finding, index) => !judged[index]?.waived)
    return verdictOf({ open, waived }, report, installed, failOn, counts)
  }
  return {
    ...describe([]),
    annotations: [],
    findings: parsed.findings.map((finding) =>
      auditFinding(finding, counts(finding), lockfile, workspace.cwd)
    ),
    describe,
    decidedByFindings: true
  }
}

/** The verdict on the advisories no waiver covers: those at or above `fail-on` fail the gate. */
function verdictOf(
  match: { open: AuditFinding[]; waived: AuditFinding[] },
  parsed: AuditReport,
  installed: Map<string, string>,
  failOn: Severity,
  counts: (finding: AuditFinding) => boolean
): Pick<Outcome, 'conclusion' | 'title' | 'summary'> {
  const blocking = match.open.filter(counts)
  const below = match.open.length - blocking.length
  const scope =
    parsed.dependencies === undefined
      ? ''
      : ` in ${plural(parsed.dependencies, 'dependency', 'dependencies')}`
  // Advisories are counted (one per advisory and package); npm's own figure counts packages.
  const theirs =
    parsed.vulnerablePackages !== undefined && parsed.vulnerablePackages !== match.open.length
      ? ` (npm reports ${plural(parsed.vulnerablePackages, 'vulnerable package')})`
      : ''
  const title = blocking.length
    ? `${plural(blocking.length, 'advisory', 'advisories')} at or above ${failOn}: ${countBySeverity(blocking)}${below ? `; ${below} below` : ''}${theirs}`
    : match.open.length || match.waived.length
      ? `No vulnerability at or above ${failOn}${scope} (${[countBySeverity(match.open), match.waived.length ? `${match.waived.length} waived` : ''].filter(Boolean).join('; ')})`
      : `No known vulnerabilities${scope}`
  return {
    conclusion: blocking.length ? 'failure' : 'success',
    title,
    summary: renderSummary(match, installed, failOn)
  }
}

/**
 * The command that runs the audit: the project's own pnpm or yarn when installed, yarn 2+ from
 * the `yarnPath` its `.yarnrc.yml` pins, else the one on PATH.
 */
async function auditBinary(
  tool: keyof typeof AUDITS,
  root: string,
  dir: string,
  projectRoot: string
): Promise<string[]> {
  if (tool === 'npm') return ['npm']
  if (tool === 'yarn-berry') {
    const rc = await readFile(join(projectRoot, '.yarnrc.yml'), 'utf8').catch(() => '')
    const yarnPath = (parseYaml(rc) as { yarnPath?: unknown } | null)?.yarnPath
    if (typeof yarnPath === 'string') return [process.execPath, resolve(projectRoot, yarnPath)]
  }
  const name = tool === 'pnpm' ? 'pnpm' : 'yarn'
  return [await findProjectBin(root, dir, name, name).catch(() => name)]
}

async function readManifest(dir: string): Promise<Record<string, Record<string, string>>> {
  try {
    return JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      Record<string, string>
    >
  } catch {
    return {}
  }
}

/** The report without paths that start at a dependency only `devDependencies` name. */
function withoutDevOnly(
  report: AuditReport,
  manifest: Record<string, Record<string, string> | undefined>
): AuditReport {
  const devOnly = new Set(
    Object.keys(manifest.devDependencies ?? {}).filter(
      (name) => !manifest.dependencies?.[name] && !manifest.optionalDependencies?.[name]
    )
  )
  const findings = report.findings.flatMap((finding) => {
    const paths = finding.paths.filter((path) => !devOnly.has(path.split('>')[0]!))
    return paths.length ? [{ ...finding, paths }] : []
  })
  return { ...report, findings }
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

/**
 * An advisory as a finding, at its package's lockfile entry when there is a lockfile. Its
 * fingerprint is the advisory, package and place in the tree: an upgrade that leaves it
 * vulnerable keeps it; the lockfile's line does not matter.
 */
function auditFinding(
  finding: AuditFinding,
  blocking: boolean,
  lockfile: { path: string; text: string } | undefined,
  root: string
): Finding {
  const located = lockfile
    ? lockfileAnnotation(finding, lockfile, repoPath(root, lockfile.path))
    : undefined
  return {
    rule: finding.advisoryId,
    title: `${finding.severity}: ${finding.advisoryId}`,
    // Below `fail-on` it is a notice: in the report and SARIF, not on the diff.
    level: !blocking
      ? 'notice'
      : finding.severity === 'critical' || finding.severity === 'high'
        ? 'failure'
        : 'warning',
    message: `${finding.package} ${finding.range}: ${finding.title}${finding.url ? ` (${finding.url})` : ''}`,
    blocking,
    package: finding.package,
    ...(finding.aliases?.length && { aliases: finding.aliases }),
    dependencyPaths: finding.paths,
    ...(finding.url && { url: finding.url }),
    ...(located && { path: located.path, line: located.line }),
    fingerprint: fingerprintOf([
      'npm-audit',
      finding.advisoryId,
      finding.package,
      finding.paths[0] ?? ''
    ])
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
  const lines = lockfile.text.split('\n')
  const index = lines.findIndex((line) => keys.some((key) => line.includes(key)))
  const yarnIndex = index < 0 ? yarnLockEntry(lines, finding.package, finding.installed) : index
  return {
    path,
    line: yarnIndex + 1 || 1,
    level: finding.severity === 'critical' || finding.severity === 'high' ? 'failure' : 'warning',
    title: `${finding.severity}: ${finding.advisoryId}`,
    message: `${finding.package} ${finding.range}: ${finding.title}${finding.url ? ` (${finding.url})` : ''}`
  }
}

/**
 * The yarn.lock entry of a package at a version: a block headed `lodash@^4.17.15, lodash@~4.17.0:`
 * (yarn 1) or `"lodash@npm:4.17.15":` (yarn 2+) whose `version` is the installed one.
 */
function yarnLockEntry(lines: string[], name: string, version: string | undefined): number {
  const heads = lines.flatMap((line, index) =>
    line.startsWith(`${name}@`) || line.startsWith(`"${name}@`) ? [index] : []
  )
  const exact = heads.find((head) =>
    [lines[head + 1], lines[head + 2]].some((line) =>
      new RegExp(`^\\s+version:? "?${(version ?? '').replace(/\./g, '\\.')}"?$`).test(line ?? '')
    )
  )
  return exact ?? heads[0] ?? -1
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
  match: { open: AuditFinding[]; waived: AuditFinding[] },
  installed: Map<string, string>,
  failOn: string
): string {
  const row = (finding: AuditFinding, note = '') => {
    const fix =
      finding.fix.available === 'unknown'
        ? 'not reported'
        : !finding.fix.available
          ? 'no fix'
          : !finding.fix.version
            ? 'available'
            : finding.fix.name
              ? `${finding.fix.name}@${finding.fix.version}${finding.fix.major ? ' (major)' : ''}`
              : cell(finding.fix.version)
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
        ...match.waived.map((finding) => row(finding, ' (waived)'))
      ].join('\n')
    )
  }
  return parts.join('\n\n')
}

/** The `npm-audit` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'npm-audit',
  cpuBound: true,
  run: npmAuditCheck,
  reportsFindings: true
}
