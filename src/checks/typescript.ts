import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { glob, isDynamicPattern } from 'tinyglobby'
import type { PlannedGate } from '../config/model.js'
import type { Annotation, Outcome, Workspace } from '../engine/types.js'
import { tailLines } from '../util/exec.js'
import { codeBlock, plural, stripAnsi } from '../util/text.js'
import { NO_INPUT_CODES, parseTscOutput } from './parsers/tsc.js'
import { countBy, countTable } from './tally.js'
import type { TscDiagnostic } from './parsers/tsc.js'
import { failed } from './outcome.js'
import { repoPath, resolveInside } from './paths.js'
import { findProjectBin } from './project-tools.js'

export interface TypescriptOptions {
  projects?: string | string[]
  'max-errors'?: number
  args?: string[]
  cwd?: string
}

interface ProjectRun {
  project: string
  diagnostics: Array<TscDiagnostic & { path?: string }>
  /** Why the project counts as failed whatever the error budget says. */
  broken?: string
}

const ERRORS_IN_FULL = 10

/** The project's own tsc, `--noEmit --pretty false -p <project>`, for one or many projects. */
export async function typescriptCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = gate.with as TypescriptOptions
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
  for (const project of projects.found) {
    const result = await workspace.exec(
      [tsc, '--noEmit', '--pretty', 'false', '-p', project, ...(options.args ?? [])],
      { cwd: dir, env: workspace.env, signal: workspace.signal }
    )
    const output = stripAnsi(result.output)
    const diagnostics = parseTscOutput(output).map((diagnostic) => ({
      ...diagnostic,
      ...(diagnostic.file !== undefined && {
        path: repoPath(workspace.cwd, join(dir, diagnostic.file))
      })
    }))
    const noInput = diagnostics.find((diagnostic) => NO_INPUT_CODES.has(diagnostic.code))
    const crashed = result.code !== 0 && diagnostics.length === 0
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
  return outcome(runs, options['max-errors'] ?? 0)
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
  const files = new Set(errors.map((diagnostic) => diagnostic.path ?? '(global)'))
  const scope = runs.length === 1 ? `\`${runs[0]!.project}\`` : plural(runs.length, 'project')
  const title = broken.length
    ? `${broken[0]!.project} ${broken[0]!.broken!.split('\n')[0]}`
    : errors.length === 0
      ? `No type errors in ${scope}`
      : `${plural(errors.length, 'type error')} in ${plural(files.size, 'file')}${maxErrors ? ` (allowed: ${maxErrors})` : ''}`

  const parts: string[] = [
    runs
      .map(
        (run) =>
          `- \`${run.project}\`: ${run.broken ?? `${plural(run.diagnostics.filter((item) => item.category === 'error').length, 'error')}`}`
      )
      .join('\n')
  ]
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
  const annotations: Annotation[] = all
    .filter((item) => item.path && item.line)
    .map((item) => ({
      path: item.path!,
      line: item.line!,
      column: item.column!,
      level: item.category === 'error' ? 'failure' : 'warning',
      title: `TS${item.code}`,
      message: item.message
    }))
  return {
    conclusion: unmet ? 'failure' : 'success',
    title,
    summary: parts.join('\n\n'),
    annotations
  }
}
