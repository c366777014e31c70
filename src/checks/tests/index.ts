import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { TestsOptions } from '../../config/generated/options.js'

export type { TestsOptions }
import { readFile, stat } from 'node:fs/promises'
import { glob, isDynamicPattern } from 'tinyglobby'
import type { PlannedGate } from '../../config/model.js'
import type { Annotation, Outcome, Workspace } from '../../model/types.js'
import { tailLines } from '../../util/exec.js'
import type { ExecResult } from '../../util/exec.js'
import { formatDuration, parseDuration } from '../../util/duration.js'
import { cell, codeBlock, plural, stripAnsi } from '../../util/text.js'
import { parseJUnit } from './junit.js'
import { parseRunnerSummary } from './runner-summary.js'
import type { RunnerSummary } from './runner-summary.js'
import type { JUnitCase } from './junit.js'
import { repoPath, resolveInside } from '../shared/paths.js'
import { detectPackageManager } from '../shared/project-tools.js'

/** One run of a test command, as the gates that share it read it. */
interface TestRun {
  result: ExecResult
  started: number
  /** The runner printed its closing summary, then did not exit within the grace: it was stopped. */
  lingered?: { finishedAfterMs: number; graceMs: number }
}

const FAILURES_IN_SUMMARY = 20

/** Runs the test command; reads JUnit XML when the runner writes it, else exit code and output. */
export async function testsCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'tests')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const command =
    options.run === undefined
      ? await defaultCommand(workspace.cwd, dir, options.args ?? [])
      : withArgs(options.run, options.args ?? [])
  const shown = Array.isArray(command) ? command.join(' ') : command
  const graceMs = parseDuration(options['exit-grace'] ?? '10s')
  const execute = () => runTests(command, dir, graceMs, workspace)
  // Two gates running the same tests in the same place share one run (they would race otherwise).
  const key = `tests\0${dir}\0${normalizeCommand(shown)}`
  const { result, started, lingered } = workspace.shared
    ? await workspace.shared(key, execute)
    : await execute()
  const output = stripAnsi(result.output)
  const tail = tailLines(output, options['tail-lines'] ?? 40)
  const runner = parseRunnerSummary(output)
  const exited = lingered
    ? `finished its tests after ${formatDuration(lingered.finishedAfterMs)} but had not exited ${formatDuration(lingered.graceMs)} later, so it was stopped`
    : result.code === null
      ? `was ended by ${result.signal}`
      : `exited with ${result.code}`
  const lingerNote = lingered
    ? `\n\nIt is judged by its results. A runner that does not exit usually holds an open handle (a server, a database connection, a timer): jest's \`--detectOpenHandles\` names it.`
    : ''

  // npm/pnpm/yarn say so when the script does not exist: a wiring mistake, not a test failure.
  const missingScript = /Missing script: "?([\w:.-]+)"?|Command "([\w:.-]+)" not found/.exec(output)
  if (result.code !== 0 && missingScript && !runner)
    return {
      conclusion: 'failure',
      title: `\`${shown}\`: package.json in \`${repoPath(workspace.cwd, dir)}\` has no "${missingScript[1] ?? missingScript[2]}" script`,
      summary: `\`${shown}\` ${exited}: there is no such script, so no test ran. Give the gate the command that runs the tests (\`run\`), or the directory of the package that has them (\`cwd\`: a monorepo's tests often live in one package).\n\n${codeBlock(tail)}`,
      annotations: []
    }

  if (!options.junit) {
    const counts = runner ? runnerCounts(runner) : undefined
    const problem = !runner
      ? undefined
      : runner.failed || runner.failedSuites
        ? 'failures'
        : runner.passed === 0
          ? 'no tests ran'
          : undefined
    // Without a report, the exit code decides; a runner stopped after its summary, the summary.
    const passed = lingered
      ? runner !== undefined && !problem
      : result.code === 0 && problem !== 'no tests ran'
    return {
      conclusion: passed ? 'success' : 'failure',
      title: `\`${shown}\` ${passed && !lingered ? 'passed' : exited}${counts ? `: ${counts}` : ''}${problem === 'no tests ran' ? ' (no tests ran)' : ''}`,
      summary: `\`${shown}\` ${exited}${counts ? ` (${runner!.runner} says: ${counts})` : ' (no JUnit report configured, and no closing summary it knows in the output: counts unknown)'}.${lingerNote}\n\n${codeBlock(tail)}`,
      annotations: []
    }
  }

  const reports = await freshReports(dir, options.junit, started)
  if (reports.length === 0) {
    return {
      conclusion: 'failure',
      title: `No fresh JUnit report at ${options.junit}`,
      summary: `\`${shown}\` ${exited}, but wrote no JUnit XML matching \`${options.junit}\` during this run (configure the runner's JUnit reporter, e.g. jest-junit).\n\n${codeBlock(tail)}`,
      annotations: []
    }
  }
  const cases: JUnitCase[] = []
  for (const path of reports)
    cases.push(...parseJUnit(await readFile(path, 'utf8'), workspace.cwd).cases)
  const count = (status: JUnitCase['status']) =>
    cases.filter((item) => item.status === status).length
  const failing = cases.filter((item) => item.status === 'failed' || item.status === 'error')
  const counts = `${count('passed')} passed, ${failing.length} failed, ${count('skipped')} skipped`
  // A runner stopped after its summary has no exit code to trust: its report decides.
  const exitFailed = !lingered && result.code !== 0
  const problem = failing.length
    ? ''
    : exitFailed
      ? ` but the command ${exited}`
      : cases.length === 0
        ? ': no tests ran'
        : ''
  const failed = failing.length > 0 || exitFailed || cases.length === 0
  const rows = failing
    .slice(0, FAILURES_IN_SUMMARY)
    .map(
      (item) =>
        `| ${cell(item.name)} | ${item.file ? `\`${item.file}${item.line ? `:${item.line}` : ''}\`` : ''} | ${cell(item.message ?? '')} |`
    )
  const summary = [
    `\`${shown}\` ${exited}: ${counts} (${plural(reports.length, 'JUnit report')}: ${reports.map((path) => `\`${repoPath(workspace.cwd, path)}\``).join(', ')}).${lingerNote}`,
    failing.length
      ? [
          '| Failing test | Where | Message |',
          '|---|---|---|',
          ...rows,
          ...(failing.length > rows.length
            ? [`| … ${failing.length - rows.length} more | | |`]
            : [])
        ].join('\n')
      : '',
    failed ? codeBlock(tail) : ''
  ]
  const annotations: Annotation[] = failing
    .filter((item) => item.file)
    .map((item) => ({
      path: item.file!,
      line: item.line ?? 1,
      level: 'failure',
      title: item.name,
      message: withoutStack(item.details ?? item.message ?? 'failed')
    }))
  return {
    conclusion: failed ? 'failure' : 'success',
    title: `${counts}${problem}`,
    summary: summary.filter(Boolean).join('\n\n'),
    annotations
  }
}

/**
 * Runs the test command, watching its output for the runner's closing summary: once it is there,
 * the runner gets `graceMs` to exit, then is stopped (jest that "did not exit one second after
 * the test run has completed" would otherwise hold the gate until its timeout).
 */
async function runTests(
  command: string | string[],
  dir: string,
  graceMs: number,
  workspace: Workspace
): Promise<TestRun> {
  const started = Date.now()
  const stop = new AbortController()
  const onAbort = () => stop.abort(workspace.signal.reason)
  workspace.signal.addEventListener('abort', onAbort, { once: true })
  let seen = ''
  let finishedAt: number | undefined
  let lingered: TestRun['lingered']
  let grace: NodeJS.Timeout | undefined
  try {
    const result = await workspace.exec(command, {
      cwd: dir,
      env: workspace.env,
      shell: typeof command === 'string',
      signal: stop.signal,
      onOutput: (text) => {
        if (finishedAt !== undefined) return
        // The closing lines are at the end: a bounded tail is enough to find them.
        seen = (seen + stripAnsi(text)).slice(-65_536)
        if (!parseRunnerSummary(seen)) return
        finishedAt = Date.now()
        grace = setTimeout(() => {
          lingered = { finishedAfterMs: finishedAt! - started, graceMs }
          stop.abort()
        }, graceMs)
      }
    })
    return { result, started, ...(lingered && { lingered }) }
  } finally {
    clearTimeout(grace)
    workspace.signal.removeEventListener('abort', onAbort)
  }
}

/** `npm run test` and `npm test` are one command; so are `yarn run test` and `yarn test`. */
function normalizeCommand(command: string): string {
  return command
    .trim()
    .replace(/\s+/g, ' ')
    .replace(/^(npm|pnpm|yarn|bun) (?:run )?(?:test|t)(?= |$)/, '$1 test')
}

function runnerCounts(summary: RunnerSummary): string {
  return [
    `${summary.passed} passed`,
    `${summary.failed} failed`,
    `${summary.skipped} skipped`,
    ...(summary.failedSuites ? [`${plural(summary.failedSuites, 'suite')} failed to run`] : [])
  ].join(', ')
}

async function defaultCommand(root: string, dir: string, args: string[]): Promise<string[]> {
  const manager = await detectPackageManager(root, dir)
  // npm needs `--` before arguments meant for the script; pnpm, yarn and bun pass them on.
  return [manager, 'test', ...(args.length && manager === 'npm' ? ['--'] : []), ...args]
}

/** JUnit files matching the pattern that this run wrote (modified after it started). */
async function freshReports(dir: string, pattern: string, since: number): Promise<string[]> {
  const candidates = isDynamicPattern(pattern)
    ? (await glob(pattern, { cwd: dir, absolute: true, ignore: ['**/node_modules/**'] })).sort()
    : [resolveInside(dir, pattern)]
  const fresh: string[] = []
  for (const path of candidates) {
    try {
      // A second of slack: some file systems keep whole seconds.
      if ((await stat(path)).mtimeMs >= since - 1000) fresh.push(path)
    } catch {
      // not written
    }
  }
  return fresh
}

/** The configured command with `args` appended: as argv items, or shell-quoted onto a string. */
function withArgs(run: string | string[], args: string[]): string | string[] {
  if (!args.length) return run
  // `npm run test --coverage` hands --coverage to npm, not to the script: it needs `--` first.
  const npmScript = (command: string) => /^npm (?:run(?:-script)? \S+|test|t)$/.test(command.trim())
  if (Array.isArray(run)) return [...run, ...(npmScript(run.join(' ')) ? ['--'] : []), ...args]
  return `${run}${npmScript(run) ? ' --' : ''} ${args.map(shellQuote).join(' ')}`
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`
}

/** The assertion without its stack frames ("    at …"): what a reviewer needs on the line. */
function withoutStack(details: string): string {
  return details
    .split('\n')
    .filter((line) => !/^\s+at /.test(line))
    .join('\n')
    .trim()
    .slice(0, 4000)
}

/** The `tests` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'tests',
  cpuBound: true,
  run: testsCheck,
  // The options that decide the run's key above: equal options, one run.
  shareKey: (gate) => {
    const options = optionsOf(gate, 'tests')
    return JSON.stringify(['tests', options.cwd ?? '.', options.run ?? null, options.args ?? []])
  }
}
