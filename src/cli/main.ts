import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import {
  DEFAULT_SECRETS_BASELINE,
  scanRepository,
  secretsBaseline
} from '../checks/secrets/index.js'
import { createGitHubClient } from '../github/octokit.js'
import { lazyRemoteReader } from '../github/remote-config.js'
import { schemaReference } from '../init/schema-ref.js'
import { streamLogger } from '../util/logger.js'
import { optionsOf } from '../checks/shared/options.js'
import { findingKinds } from '../checks/index.js'
import { ConfigError, formatProblem, missingFileHint } from '../config/errors.js'
import type { Plan } from '../config/model.js'
import {
  DEFAULT_CONFIG,
  evaluate,
  loadPlan,
  planShard,
  policyReader,
  toolVersion,
  validateAll
} from '../engine/evaluate.js'
import { readFromDisk } from '../config/source.js'
import { EXIT } from '../util/exit-codes.js'
import { baselineOf } from '../engine/findings.js'
import { ALL_STAGES } from '../config/resolve.js'
import {
  CONTINGENCY,
  describeSkipped,
  importItems,
  renderGatesFile,
  renderImportReport,
  summarizeImport
} from '../import/build.js'
import type { Stage } from '../import/build.js'
import { placeholderGates, renderChecklist } from '../import/checklist.js'
import { InitInputError, initRepository } from '../init/command.js'
import type { GateStatus } from '../import/checklist.js'
import { readChecklist } from '../import/markdown.js'
import { MergeError, mergeIntoFile } from '../import/merge.js'
import { loadImportRules } from '../import/rules.js'
import { renderConsoleReport } from '../report/console.js'
import { writeJsonFile, writeJsonReport } from '../report/json.js'
import { Progress } from '../report/progress.js'
import { toSarifLog } from '../report/sarif.js'
import { formatDuration } from '../util/duration.js'
import { exec } from '../util/exec.js'
import { plural } from '../util/text.js'
import { COMMAND_HELP, USAGE } from './help.js'
import { parseShard } from '../engine/shard.js'
import type { Durations, ShardSpec } from '../engine/shard.js'
import type { Report } from '../model/report.js'
import { mergeShardReports } from '../report/merge-reports.js'
import { durationsOf, readReportFile, readShardReports } from '../report/report-files.js'

export interface CliIO {
  stdout: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean; columns?: number }
  stderr: NodeJS.WriteStream | { write(text: string): unknown; isTTY?: boolean }
  env: NodeJS.ProcessEnv
  cwd: string
}

/** Raised for a wrong command line: reported like a configuration error, exit 2. */
class UsageError extends Error {}

const OPTIONS = {
  config: { type: 'string', short: 'c' },
  env: { type: 'string', short: 'e' },
  stage: { type: 'string', short: 's' },
  only: { type: 'string' },
  json: { type: 'string' },
  sarif: { type: 'string' },
  output: { type: 'string' },
  out: { type: 'string' },
  from: { type: 'string' },
  cwd: { type: 'string' },
  concurrency: { type: 'string' },
  shard: { type: 'string' },
  'shard-durations': { type: 'string' },
  'no-progress': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  force: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' }
} as const

type Values = ReturnType<
  typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>
>['values']

/** Runs the CLI and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIO): Promise<number> {
  let values: Values | undefined
  try {
    const parsed = parseCommandLine(argv)
    values = parsed.values
    const [command = 'help', ...rest] = parsed.positionals
    if (values.version) return print(io, `${toolVersion()}\n`)
    if (values.help || command === 'help') {
      const topic = command === 'help' ? rest[0] : command
      return print(io, (topic && COMMAND_HELP[topic]) || USAGE)
    }
    if (command === 'secrets') {
      if (rest[0] !== 'baseline' || rest.length > 1)
        throw new UsageError(
          `secrets expects 'baseline'${rest[0] ? `, got '${rest.join(' ')}'` : ''}`
        )
      return await secretsBaselineCommand(values, io)
    }
    if (command === 'import') {
      if (rest.length !== 1)
        throw new UsageError(
          `import expects one markdown file${rest.length ? `, got ${rest.length}` : ''}`
        )
      return await importCommand(rest[0]!, values, io)
    }
    if (command === 'init') {
      if (rest.length > 1)
        throw new UsageError(`init expects at most one markdown checklist, got ${rest.length}`)
      return await initCommand(rest[0], values, io)
    }
    if (command === 'merge') {
      if (!rest.length) throw new UsageError('merge expects the shards’ JSON reports (or a glob)')
      return await mergeCommand(rest, values, io)
    }
    if (rest.length) throw new UsageError(`unexpected argument '${rest[0]}'`)
    switch (command) {
      case 'checklist':
        return await checklistCommand(values, io)
      case 'run':
        return await runCommand(values, io)
      case 'baseline':
        return await baselineCommand(values, io)
      case 'validate':
        return await validateCommand(values, io)
      case 'list':
        return await listCommand(values, io)
      default:
        throw new UsageError(
          `unknown command '${command}'; commands: run, validate, list, baseline, secrets, init, import, checklist, merge, help`
        )
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      const hint = missingFileHint(error.problems, values?.config ?? DEFAULT_CONFIG)
      io.stderr.write(
        `${error.problems.map(formatProblem).join('\n')}\n${plural(error.problems.length, 'problem')} in the configuration.\n${hint ? `${hint}\n` : ''}`
      )
      return EXIT.config
    }
    // A wrong command line, or input init and import cannot work with (a file they cannot merge).
    if (
      error instanceof UsageError ||
      error instanceof InitInputError ||
      error instanceof MergeError
    ) {
      io.stderr.write(`release-gates: ${error.message}\nRun 'release-gates --help' for usage.\n`)
      return EXIT.config
    }
    const detail = values?.debug && error instanceof Error ? `\n${error.stack}` : ''
    io.stderr.write(
      `release-gates: internal error: ${error instanceof Error ? error.message : String(error)}${detail}\n` +
        `This is a bug in release-gates, not in your gates file: please report it${values?.debug ? '' : ' (rerun with --debug for the stack trace)'}.\n`
    )
    return EXIT.internal
  }
}

function parseCommandLine(argv: string[]): { values: Values; positionals: string[] } {
  // `-V` and `version` are `--version`, as in most CLIs; `validate --json` alone prints to stdout.
  const args = argv.flatMap((arg, index) =>
    arg === '-V' || (arg === 'version' && index === argv.findIndex((a) => !a.startsWith('-')))
      ? ['--version']
      : arg === '--json' &&
          (argv[index + 1] === undefined ||
            (argv[index + 1]!.startsWith('-') && argv[index + 1] !== '-'))
        ? ['--json', '-']
        : [arg]
  )
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true })
  } catch (error) {
    throw new UsageError(
      (error as Error).message.replace(/\. To specify a positional argument.*$/s, '')
    )
  }
}

function planRequest(values: Values, io: CliIO) {
  const only = values.only
    ?.split(',')
    .map((id) => id.trim())
    .filter(Boolean)
  return {
    cwd: resolve(io.cwd, values.cwd ?? '.'),
    config: values.config ?? DEFAULT_CONFIG,
    ...(values.env !== undefined && { environment: values.env }),
    ...(values.stage !== undefined && { stage: values.stage }),
    ...(only && { only }),
    ...(values['allow-empty'] && { allowEmpty: true }),
    // extends: github:… is read through the API with GITHUB_TOKEN (GITHUB_API_URL for GHES).
    // The client is made on the first remote read: most gates files extend nothing remote.
    ...(io.env.GITHUB_TOKEN && {
      remote: lazyRemoteReader(() =>
        createGitHubClient(
          io.env.GITHUB_TOKEN!,
          streamLogger((text) => io.stderr.write(text), { debug: Boolean(values.debug) }),
          { ...(io.env.GITHUB_API_URL && { baseUrl: io.env.GITHUB_API_URL }) }
        )
      )
    })
  }
}

async function runCommand(values: Values, io: CliIO): Promise<number> {
  const request = planRequest(values, io)
  let concurrency: number | undefined
  if (values.concurrency !== undefined) {
    concurrency = Number(values.concurrency)
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new UsageError(
        `--concurrency expects a whole number of at least 1, got '${values.concurrency}'`
      )
  }
  const whole = await loadPlan(request)
  const plan = values.shard
    ? planShard(whole, shardOf(values.shard), durationsFrom(values, io))
    : whole
  const progress = values['no-progress']
    ? undefined
    : new Progress({ write: (text) => io.stderr.write(text), isTTY: Boolean(io.stderr.isTTY) })
  progress?.start(plan.gates.length)
  let report
  try {
    report = await evaluate(plan, {
      cwd: request.cwd,
      env: io.env,
      logger: streamLogger((text) => io.stderr.write(text), { debug: Boolean(values.debug) }),
      ...(progress && { onProgress: progress.handle }),
      ...(concurrency !== undefined && { concurrency })
    })
  } finally {
    progress?.stop()
  }
  return await writeRunReport(report, values, io)
}

/** `merge REPORT...`: the shards' reports as the one report a whole run would have written. */
async function mergeCommand(patterns: string[], values: Values, io: CliIO): Promise<number> {
  let parts
  try {
    parts = readShardReports(patterns, io.cwd)
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
  const merged = mergeShardReports(parts)
  if ('problems' in merged) {
    io.stderr.write(
      `The shards do not make one whole plan:\n${merged.problems.map((problem) => `  ${problem}`).join('\n')}\n`
    )
    return EXIT.unmet
  }
  return await writeRunReport(merged.report, values, io)
}

function shardOf(text: string): ShardSpec {
  try {
    return parseShard(text)
  } catch (error) {
    throw new UsageError(`--shard ${(error as Error).message}`)
  }
}

function durationsFrom(values: Values, io: CliIO): Durations | undefined {
  const path = values['shard-durations']
  if (!path) return undefined
  try {
    return durationsOf(readReportFile(path, io.cwd))
  } catch (error) {
    throw new UsageError(`--shard-durations: ${(error as Error).message}`)
  }
}

/** The table, the JSON report and SARIF of a run (or a merge), and its exit code. */
async function writeRunReport(report: Report, values: Values, io: CliIO): Promise<number> {
  // With --json -, stdout carries the machine-readable report and the table moves to stderr.
  const table = values.json === '-' ? io.stderr : io.stdout
  const color = !values['no-color'] && !io.env.NO_COLOR && Boolean(table.isTTY)
  table.write(
    renderConsoleReport(report, { color, width: ('columns' in table && table.columns) || 120 })
  )
  if (values.json === '-') io.stdout.write(JSON.stringify(report, null, 2) + '\n')
  else if (values.json) {
    await writeJsonReport(report, resolve(io.cwd, values.json))
    io.stderr.write(`JSON report written to ${values.json}\n`)
  }
  if (values.sarif) {
    await writeJsonFile(resolve(io.cwd, values.sarif), toSarifLog(report))
    io.stderr.write(`SARIF written to ${values.sarif}\n`)
  }
  return report.result === 'passed' ? EXIT.ok : EXIT.unmet
}

async function validateCommand(values: Values, io: CliIO): Promise<number> {
  const request = planRequest(values, io)
  if (values.json !== undefined) return validateAsJson(request, values.json, io)
  const { config, plans } = await validateAll(request)
  const environments = [...config.environments.keys()]
  const gates = config.gates.length
  io.stdout.write(
    `✔ ${config.file} is valid: ${plural(gates, 'gate')}` +
      (environments.length ? `, environments: ${environments.join(', ')}` : '') +
      `, stages: ${[...new Set(plans.flatMap((plan) => plan.gates.flatMap((gate) => gate.stages)))].join(', ') || 'none'}\n`
  )
  const unfilled = placeholderGates(config.gates.map((gate) => gate.def))
  if (unfilled.length)
    io.stderr.write(
      `warning: ${plural(unfilled.length, 'gate')} still ${unfilled.length === 1 ? 'holds' : 'hold'} FILL-ME parameters (keep them disabled until filled):\n${unfilled
        .map((gate) => `  ${gate.id}: ${gate.paths.join(', ')}`)
        .join('\n')}\n`
    )
  return EXIT.ok
}

/**
 * `validate --json [FILE]`: the verdict as data, for editors and scripts: every problem with its
 * file, line, column and path, or the gates, environments and stages of a valid file. The exit
 * code is the same as without `--json`.
 */
async function validateAsJson(
  request: ReturnType<typeof planRequest>,
  target: string,
  io: CliIO
): Promise<number> {
  let verdict: Record<string, unknown>
  let code: number = EXIT.ok
  try {
    const { config, plans } = await validateAll(request)
    const unfilled = placeholderGates(config.gates.map((gate) => gate.def))
    verdict = {
      valid: true,
      file: config.file,
      gates: config.gates.map((gate) => gate.def.id),
      environments: [...config.environments.keys()],
      stages: [...new Set(plans.flatMap((plan) => plan.gates.flatMap((gate) => gate.stages)))],
      problems: [],
      warnings: unfilled.map((gate) => ({
        gate: gate.id,
        message: `still holds FILL-ME parameters: ${gate.paths.join(', ')}`
      }))
    }
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    code = EXIT.config
    const hint = missingFileHint(error.problems, request.config)
    verdict = {
      valid: false,
      file: request.config,
      problems: error.problems.map(({ file, line, col, path, message }) => ({
        file,
        line,
        column: col,
        path,
        message
      })),
      ...(hint && { hint })
    }
  }
  const text = `${JSON.stringify(verdict, null, 2)}\n`
  if (target === '-') io.stdout.write(text)
  else writeFileSync(resolve(io.cwd, target), text)
  return code
}

async function importCommand(file: string, values: Values, io: CliIO): Promise<number> {
  const source = resolve(io.cwd, file)
  let markdown: string
  try {
    markdown = readFileSync(source, 'utf8')
  } catch (error) {
    throw new UsageError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
    )
  }
  const stage = values.stage
  if (
    stage !== undefined &&
    !['pre-release', 'post-deploy', 'recurring', CONTINGENCY].includes(stage)
  )
    throw new UsageError(
      `--stage expects pre-release, post-deploy, recurring or contingency, got '${stage}'`
    )
  const { items, skipped } = readChecklist(markdown)
  const gates = importItems(items, loadImportRules(), {
    ...(stage && { stage: stage as Stage })
  })
  if (!gates.length) throw new UsageError(`${file} has no task items (- [ ] …)`)
  const out = values.out ?? values.output ?? DEFAULT_CONFIG
  const target = resolve(io.cwd, values.cwd ?? '.', out)
  if (existsSync(target)) {
    // Re-importing keeps the work done in the file: values, waivers, owners, edits.
    io.stdout.write(mergeIntoFile(target, out, gates) + describeSkipped(skipped, file))
    return EXIT.ok
  }
  mkdirSync(dirname(target), { recursive: true })
  writeFileSync(
    target,
    renderGatesFile(
      gates,
      relative(dirname(target), source).split('\\').join('/'),
      schemaReference(resolve(io.cwd, values.cwd ?? '.'), target, toolVersion())
    )
  )
  io.stdout.write(renderImportReport(summarizeImport(gates), out) + describeSkipped(skipped, file))
  return EXIT.ok
}

async function initCommand(file: string | undefined, values: Values, io: CliIO): Promise<number> {
  io.stdout.write(
    await initRepository({
      root: resolve(io.cwd, values.cwd ?? '.'),
      ...(file && { checklist: resolve(io.cwd, file) }),
      ...((values.out ?? values.output) && { out: values.out ?? values.output }),
      ...(values.force && { force: true })
    })
  )
  return EXIT.ok
}

async function checklistCommand(values: Values, io: CliIO): Promise<number> {
  const request = planRequest(values, io)
  const plan = await loadPlan({ ...request, stage: values.stage ?? ALL_STAGES, allowEmpty: true })
  let results: Map<string, GateStatus> | undefined
  if (values.from !== undefined) {
    let report: { gates?: Array<{ id: string; met: boolean; conclusion: string; title?: string }> }
    try {
      report = JSON.parse(readFileSync(resolve(io.cwd, values.from), 'utf8')) as typeof report
    } catch (error) {
      throw new UsageError(`cannot read the report ${values.from}: ${(error as Error).message}`)
    }
    if (!Array.isArray(report.gates))
      throw new UsageError(`${values.from} is not a release-gates JSON report (no gates list)`)
    results = new Map(
      report.gates.map((gate) => [
        gate.id,
        {
          met: gate.met,
          conclusion: gate.conclusion,
          ...(typeof gate.title === 'string' && { title: gate.title })
        }
      ])
    )
  }
  const markdown = renderChecklist(plan, results)
  if (values.output !== undefined) {
    writeFileSync(resolve(io.cwd, values.output), markdown)
    io.stderr.write(`Checklist written to ${values.output}\n`)
  } else io.stdout.write(markdown)
  return EXIT.ok
}

async function listCommand(values: Values, io: CliIO): Promise<number> {
  const plan = await loadPlan({ ...planRequest(values, io), allowEmpty: true })
  if (values.json === '-') io.stdout.write(JSON.stringify(plan, null, 2) + '\n')
  else if (values.json !== undefined) {
    await writeJsonFile(resolve(io.cwd, values.json), plan)
    io.stderr.write(`Plan written to ${values.json}\n`)
  }
  if (values.json !== undefined) return EXIT.ok
  io.stdout.write(renderPlan(plan))
  return EXIT.ok
}

function renderPlan(plan: Plan): string {
  const header = ['GATE', 'CHECK', 'REQUIRED', 'STAGE', 'TIMEOUT', 'SECTION']
  const rows = plan.gates.map((gate) => [
    gate.id,
    gate.check,
    gate.enabled ? (gate.required ? 'required' : 'advisory') : 'off',
    gate.stages.join(','),
    formatDuration(gate.timeoutMs),
    gate.section ?? ''
  ])
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row[column]!.length))
  )
  const line = (cells: string[]) =>
    cells
      .map((text, column) => text.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()
  const where = [plan.environment && `environment ${plan.environment}`, `stage ${plan.stage}`]
    .filter(Boolean)
    .join(', ')
  const off = plan.gates.filter((gate) => !gate.enabled)
  return (
    [
      `${plan.file}: ${plural(plan.gates.length, 'gate')} for ${where}`,
      '',
      line(header),
      ...rows.map(line),
      ...(off.length ? ['', ...off.map((gate) => `${gate.id}: ${gate.disabledReason}`)] : [])
    ].join('\n') + '\n'
  )
}

/** Where `release-gates baseline` writes by default. */
export const DEFAULT_BASELINE = '.github/release-gates-baseline.json'

/**
 * `baseline`: runs the plan and records every finding's fingerprint by gate, so gates given
 * `baseline:` fail only on new findings. A gate that could not evaluate records nothing, and says so.
 */
async function baselineCommand(values: Values, io: CliIO): Promise<number> {
  const request = planRequest(values, io)
  const loaded = await loadPlan(request)
  // Recording what is there now: the gates' own baselines would hide it.
  const plan = {
    ...loaded,
    gates: loaded.gates.map(({ baseline: _baseline, ...gate }) => gate)
  }
  const report = await evaluate(plan, {
    cwd: request.cwd,
    env: io.env,
    logger: streamLogger((text) => io.stderr.write(text), { quiet: true })
  })
  const output = resolve(request.cwd, values.output ?? DEFAULT_BASELINE)
  const recorded = report.gates.filter((gate) => gate.decidedByFindings && gate.findings)
  // Gates of kinds with findings that gave none to trust: the tool could not run, or checked nothing.
  const withFindings = findingKinds()
  const unjudged = report.gates.filter(
    (gate) => withFindings.has(gate.check) && !gate.met && !gate.decidedByFindings
  )
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, `${JSON.stringify(baselineOf(recorded), null, 2)}\n`)
  const count = recorded.reduce((sum, gate) => sum + gate.findings!.length, 0)
  const lines = [
    `Wrote ${plural(count, 'finding')} of ${plural(recorded.length, 'gate')} to ${relative(request.cwd, output)} (fingerprints, rules and places; no values).`,
    ...recorded.map((gate) => `  ${gate.id}: ${plural(gate.findings!.length, 'finding')}`),
    `Give those gates \`baseline: ${relative(request.cwd, output)}\`: they then fail only on new findings.`,
    ...(unjudged.length
      ? [
          'Not recorded, they did not evaluate (a baseline accepts findings, not a check that could not run):',
          ...unjudged.map((gate) => `  ${gate.id}: ${gate.title}`)
        ]
      : [])
  ]
  return print(io, `${lines.join('\n')}\n`)
}

/** `secrets baseline`: today's findings, as fingerprints, to a file the gate's `baseline` reads. */
async function secretsBaselineCommand(values: Values, io: CliIO): Promise<number> {
  const cwd = resolve(io.cwd, values.cwd ?? '.')
  const config = values.config ?? DEFAULT_CONFIG
  // The gate's own settings (paths, exclude, allow) decide what counts, when there is a gate.
  const gate = existsSync(resolve(cwd, config))
    ? (await loadPlan({ cwd, config, stage: 'all', allowEmpty: true })).gates.find(
        (gate) => gate.check === 'secrets'
      )
    : undefined
  const scan = await scanRepository(
    { ...(gate ? optionsOf(gate, 'secrets') : {}), mode: 'files' },
    {
      cwd,
      exec,
      signal: new AbortController().signal,
      secret: () => undefined,
      readPolicyFile: policyReader(cwd, readFromDisk)
    }
  )
  const output = resolve(cwd, values.output ?? DEFAULT_SECRETS_BASELINE)
  mkdirSync(dirname(output), { recursive: true })
  writeFileSync(output, `${JSON.stringify(secretsBaseline(scan.findings), null, 2)}\n`)
  return print(
    io,
    `Wrote ${plural(scan.findings.length, 'finding')} to ${relative(cwd, output)} (fingerprints only). Set the secrets gate's baseline to it.\n`
  )
}

function print(io: CliIO, text: string): number {
  io.stdout.write(text)
  return EXIT.ok
}
