import { readFile, stat } from 'node:fs/promises'
import { glob, isDynamicPattern } from 'tinyglobby'
import type { PlannedGate } from '../config/model.js'
import type { Annotation, Outcome, Workspace } from '../engine/types.js'
import { tailLines } from '../util/exec.js'
import { cell, codeBlock, plural, stripAnsi } from '../util/text.js'
import { parseJUnit } from './parsers/junit.js'
import type { JUnitCase } from './parsers/junit.js'
import { repoPath, resolveInside } from './paths.js'
import { detectPackageManager } from './project-tools.js'

export interface TestsOptions {
  /** Default: `<package manager> test`, the manager detected from the lockfile. */
  run?: string | string[]
  args?: string[]
  /** JUnit XML the runner writes (a path or glob, relative to cwd). */
  junit?: string
  cwd?: string
  'tail-lines'?: number
}

const FAILURES_IN_SUMMARY = 20

/** Runs the test command; reads JUnit XML when the runner writes it, else exit code and output. */
export async function testsCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = gate.with as TestsOptions
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const command =
    options.run === undefined
      ? await defaultCommand(workspace.cwd, dir, options.args ?? [])
      : withArgs(options.run, options.args ?? [])
  const shown = Array.isArray(command) ? command.join(' ') : command
  const started = Date.now()
  const result = await workspace.exec(command, {
    cwd: dir,
    env: workspace.env,
    shell: typeof command === 'string',
    signal: workspace.signal
  })
  const output = stripAnsi(result.output)
  const tail = tailLines(output, options['tail-lines'] ?? 40)
  const exited =
    result.code === null ? `was ended by ${result.signal}` : `exited with ${result.code}`

  if (!options.junit) {
    const passed = result.code === 0
    return {
      conclusion: passed ? 'success' : 'failure',
      title: passed ? `\`${shown}\` passed` : `\`${shown}\` ${exited}`,
      summary: `\`${shown}\` ${exited} (no JUnit report configured: counts unknown).\n\n${codeBlock(tail)}`,
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
  const problem = failing.length
    ? ''
    : result.code !== 0
      ? ` but the command ${exited}`
      : cases.length === 0
        ? ': no tests ran'
        : ''
  const failed = failing.length > 0 || result.code !== 0 || cases.length === 0
  const rows = failing
    .slice(0, FAILURES_IN_SUMMARY)
    .map(
      (item) =>
        `| ${cell(item.name)} | ${item.file ? `\`${item.file}${item.line ? `:${item.line}` : ''}\`` : ''} | ${cell(item.message ?? '')} |`
    )
  const summary = [
    `\`${shown}\` ${exited}: ${counts} (${plural(reports.length, 'JUnit report')}: ${reports.map((path) => `\`${repoPath(workspace.cwd, path)}\``).join(', ')}).`,
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
  if (Array.isArray(run)) return [...run, ...args]
  return args.length ? `${run} ${args.map(shellQuote).join(' ')}` : run
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
