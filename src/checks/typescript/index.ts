import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { TypescriptOptions } from '../../config/generated/options.js'

export type { TypescriptOptions }
import { stat } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'
import type { PlannedGate } from '../../config/model.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import { tailLines } from '../../util/exec.js'
import { codeBlock, plural, stripAnsi } from '../../util/text.js'
import { isSyntaxCode, NO_INPUT_CODES, parseTscOutput } from './parse.js'
import { countBy, countTable } from '../shared/tally.js'
import type { TscDiagnostic } from './parse.js'
import { failed } from '../shared/outcome.js'
import { repoPath, resolveInside } from '../shared/paths.js'
import { findProjectBin } from '../shared/project-tools.js'

interface ProjectRun {
  project: string
  /** A solution file: it checks nothing itself, these references are checked instead. */
  solution?: string[]
  diagnostics: Array<TscDiagnostic & { path?: string }>
  /** Why the project counts as failed whatever the error budget says. */
  broken?: string
}

const ERRORS_IN_FULL = 10

/** The project's own tsc, `--noEmit --pretty false -p <project>`, for one or many projects. */
export async function typescriptCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'typescript')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const tsc = await findProjectBin(workspace.cwd, dir, 'tsc', 'typescript')
  const projects = await expandProjects(dir, [options.projects ?? 'tsconfig.json'].flat())
  if (projects.missing.length) {
    return failed(
      `No tsconfig at ${projects.missing.join(', ')}`,
      `These projects do not exist in \`${repoPath(workspace.cwd, dir)}\`: ${projects.missing.map((item) => `\`${item}\``).join(', ')}.`
    )
  }
  const runs: ProjectRun[] = []
  // Build info goes to a scratch directory: a gate must not change the working tree.
  const scratch = await mkdtemp(join(tmpdir(), 'rg-tsc-'))
  const queue = [...projects.found]
  const seen = new Set(queue.map((project) => resolve(dir, project)))
  try {
    for (let index = 0; index < queue.length; index++) {
      const project = queue[index]!
      const run = (extra: string[]) =>
        workspace.exec([tsc, ...extra, '-p', project, ...(options.args ?? [])], {
          cwd: dir,
          env: workspace.env,
          signal: workspace.signal
        })
      const config = await showConfig(run)
      const buildInfo =
        config?.compilerOptions?.composite || config?.compilerOptions?.incremental
          ? ['--tsBuildInfoFile', join(scratch, `${index}.tsbuildinfo`)]
          : []
      const result = await run(['--noEmit', '--pretty', 'false', ...buildInfo])
      const output = stripAnsi(result.output)
      const diagnostics = parseTscOutput(output).map((diagnostic) => ({
        ...diagnostic,
        ...(diagnostic.file !== undefined && {
          path: repoPath(workspace.cwd, join(dir, diagnostic.file))
        })
      }))
      const noInput = diagnostics.find((diagnostic) => NO_INPUT_CODES.has(diagnostic.code))
      const crashed = result.code !== 0 && diagnostics.length === 0
      if (result.code === 0 && !noInput) {
        // A clean run proves something only if the project checked files of its own: a solution
        // file (`"files": []` plus `references`) checks none, and its references are what count.
        const own = await ownFiles(run, buildInfo)
        if (own === 0) {
          const references = (config?.references ?? []).map((reference) =>
            referencedProject(dir, project, reference.path)
          )
          if (references.length) {
            for (const reference of references)
              if (!seen.has(resolve(dir, reference))) {
                seen.add(resolve(dir, reference))
                queue.push(reference)
              }
            runs.push({ project, diagnostics: [], solution: references })
            continue
          }
          runs.push({
            project,
            diagnostics: [],
            broken: 'checks no files: its files and include match nothing, and it has no references'
          })
          continue
        }
      }
      runs.push({
        project,
        diagnostics,
        ...(noInput && {
          broken: `checks no files: TS${noInput.code} ${noInput.message.split('\n')[0]}`
        }),
        ...(crashed && {
          broken: `tsc exited with ${result.code ?? result.signal} without a diagnostic:\n${codeBlock(tailLines(output, 20))}`
        })
      })
    }
  } finally {
    await rm(scratch, { recursive: true, force: true })
  }
  return outcome(runs, options['max-errors'] ?? 0)
}

interface ShownConfig {
  compilerOptions?: { composite?: boolean; incremental?: boolean }
  references?: Array<{ path: string }>
}

/** The project's resolved configuration (`tsc --showConfig`: JSON, extends and comments resolved). */
async function showConfig(
  run: (extra: string[]) => Promise<{ code: number | null; stdout: string }>
): Promise<ShownConfig | undefined> {
  const shown = await run(['--showConfig'])
  if (shown.code !== 0) return undefined
  try {
    return JSON.parse(shown.stdout) as ShownConfig
  } catch {
    return undefined
  }
}

/** How many of the files the project compiles are its own (not TypeScript's libs or packages). */
async function ownFiles(
  run: (extra: string[]) => Promise<{ code: number | null; stdout: string }>,
  buildInfo: string[]
): Promise<number> {
  const listed = await run(['--listFilesOnly', ...buildInfo])
  return listed.stdout
    .split(/\r?\n/)
    .filter((line) => line.trim() && !/[\\/]node_modules[\\/]/.test(line)).length
}

/** A reference's path (a directory or a tsconfig file) relative to the gate's directory. */
function referencedProject(dir: string, project: string, path: string): string {
  const target = resolve(dir, dirname(project), path)
  const file = /\.json$/.test(target) ? target : join(target, 'tsconfig.json')
  return relative(dir, file).split('\\').join('/')
}

async function expandProjects(
  dir: string,
  patterns: string[]
): Promise<{ found: string[]; missing: string[] }> {
  const found: string[] = []
  const missing: string[] = []
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = await glob(pattern, { cwd: dir, ignore: ['**/node_modules/**'] })
      if (matches.length) found.push(...matches.sort())
      else missing.push(pattern)
    } else {
      try {
        await stat(join(dir, pattern))
        found.push(pattern)
      } catch {
        missing.push(pattern)
      }
    }
  }
  return { found, missing }
}

function outcome(runs: ProjectRun[], maxErrors: number): Outcome {
  const all = runs.flatMap((run) => run.diagnostics)
  const errors = all.filter(
    (diagnostic) => diagnostic.category === 'error' && !NO_INPUT_CODES.has(diagnostic.code)
  )
  const broken = runs.filter((run) => run.broken)
  const unmet = broken.length > 0 || errors.length > maxErrors
  // tsc checks types only in a program without syntax errors: these runs checked no type at all.
  const unchecked = runs.filter((run) => {
    const runErrors = run.diagnostics.filter((item) => item.category === 'error')
    return runErrors.length > 0 && runErrors.every((item) => isSyntaxCode(item.code))
  })
  const files = new Set(errors.map((diagnostic) => diagnostic.path ?? '(global)'))
  const checked = runs.filter((run) => !run.solution)
  const solutions = runs.filter((run) => run.solution)
  const scope =
    (checked.length === 1 ? `\`${checked[0]!.project}\`` : plural(checked.length, 'project')) +
    (solutions.length
      ? ` (the references of ${solutions.map((run) => `\`${run.project}\``).join(', ')})`
      : '')
  const title = broken.length
    ? `${broken[0]!.project} ${broken[0]!.broken!.split('\n')[0]}`
    : errors.length === 0
      ? `No type errors in ${scope}`
      : `${plural(errors.length, 'type error')} in ${plural(files.size, 'file')}${maxErrors ? ` (allowed: ${maxErrors})` : ''}`

  const parts: string[] = [
    runs
      .map(
        (run) =>
          `- \`${run.project}\`: ${run.solution ? `a solution file, checks nothing itself: its references ${run.solution.map((item) => `\`${item}\``).join(', ')} are checked` : (run.broken ?? `${plural(run.diagnostics.filter((item) => item.category === 'error').length, 'error')}`)}`
      )
      .join('\n')
  ]
  if (unchecked.length)
    parts.push(
      `⚠️ ${unchecked.map((run) => `\`${run.project}\``).join(', ')}: tsc stopped at syntax errors and checked no type (it checks types only once the syntax is valid). Fix the syntax errors first; a baseline cannot accept them.`
    )
  if (errors.length) {
    parts.push(
      countTable(
        'File',
        countBy(errors, (item) => item.path ?? '(global)')
      ),
      countTable(
        'Code',
        countBy(errors, (item) => `TS${item.code}`)
      )
    )
    const shown = errors
      .slice(0, ERRORS_IN_FULL)
      .map(
        (item) =>
          `${item.path ?? ''}${item.line ? `(${item.line},${item.column})` : ''}: TS${item.code}: ${item.message}`
      )
    parts.push(`First ${shown.length} of ${errors.length}:\n\n${codeBlock(shown.join('\n'))}`)
  }
  const counted = new Set(errors)
  const findings: Finding[] = all.map((item) => ({
    rule: `TS${item.code}`,
    title: `TS${item.code}`,
    level: item.category === 'error' ? 'failure' : 'warning',
    message: item.message,
    blocking: counted.has(item),
    ...(item.path && { path: item.path }),
    ...(item.line && { line: item.line, column: item.column! })
  }))
  const summary = parts.join('\n\n')
  return {
    conclusion: unmet ? 'failure' : 'success',
    title,
    summary,
    annotations: [],
    findings,
    // Waivers judged the findings: `max-errors` applies to the type errors they left.
    describe: (judged) => {
      const open = judged.filter((finding) => finding.blocking)
      const waived = judged.filter((finding) => finding.waived).length
      const openFiles = new Set(open.map((finding) => finding.path ?? '(global)')).size
      return {
        conclusion: open.length > maxErrors ? 'failure' : 'success',
        title: open.length
          ? `${plural(open.length, 'type error')} in ${plural(openFiles, 'file')} (${[maxErrors ? `allowed: ${maxErrors}` : '', `${waived} waived`].filter(Boolean).join(', ')})`
          : `No type errors in ${scope} but the ${plural(waived, 'waived one')}`,
        summary
      }
    },
    // A project tsc could not check, or checked no type of, is a failure no baseline accepts.
    decidedByFindings: broken.length === 0 && unchecked.length === 0
  }
}

/** The `typescript` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'typescript',
  cpuBound: true,
  run: typescriptCheck,
  reportsFindings: true
}
