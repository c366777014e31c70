import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { EslintOptions } from '../../config/generated/options.js'

export type { EslintOptions }
import { access } from 'node:fs/promises'
import { join } from 'node:path'
import type { PlannedGate } from '../../config/model.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import { tailLines } from '../../util/exec.js'
import { codeBlock, plural, stripAnsi } from '../../util/text.js'
import { parseEslintJson } from './parse.js'
import { failed } from '../shared/outcome.js'
import { repoPath, resolveInside } from '../shared/paths.js'
import { findProjectBin, upTo } from '../shared/project-tools.js'
import { countBy, countTable } from '../shared/tally.js'

const FLAT_CONFIGS = [
  'eslint.config.js',
  'eslint.config.mjs',
  'eslint.config.cjs',
  'eslint.config.ts',
  'eslint.config.mts',
  'eslint.config.cts'
]
const LEGACY_CONFIGS = [
  '.eslintrc.js',
  '.eslintrc.cjs',
  '.eslintrc.yaml',
  '.eslintrc.yml',
  '.eslintrc.json',
  '.eslintrc'
]

/** The project's own ESLint with the JSON formatter; flat config, or a legacy .eslintrc. */
export async function eslintCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'eslint')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const eslint = await findProjectBin(workspace.cwd, dir, 'eslint', 'eslint')
  const legacy = await usesLegacyConfig(workspace.cwd, dir)
  const result = await workspace.exec(
    [eslint, '--format', 'json', ...(options.args ?? []), ...(options.patterns ?? ['.'])],
    {
      cwd: dir,
      env: { ...workspace.env, ...(legacy && { ESLINT_USE_FLAT_CONFIG: 'false' }) },
      signal: workspace.signal
    }
  )
  // 0: clean, 1: problems found; anything else (2: a configuration or crash) printed no results.
  if (result.code !== 0 && result.code !== 1) {
    return failed(
      `ESLint could not run (exit ${result.code ?? result.signal})`,
      codeBlock(tailLines(stripAnsi(result.stderr || result.stdout), 30))
    )
  }
  let parsed
  try {
    parsed = parseEslintJson(result.stdout, workspace.cwd)
  } catch (error) {
    return failed(
      `ESLint's output could not be read: ${(error as Error).message}`,
      codeBlock(tailLines(stripAnsi(result.output), 30))
    )
  }
  if (parsed.filesLinted === 0)
    return failed(
      'ESLint linted no files',
      `The patterns ${(options.patterns ?? ['.']).join(' ')} matched nothing in \`${repoPath(workspace.cwd, dir)}\`.`
    )

  const maxErrors = options['max-errors'] ?? 0
  const maxWarnings = options['max-warnings']
  const problems = parsed.files.flatMap((file) =>
    file.problems.map((problem) => ({ ...problem, path: file.path }))
  )
  const findings: Finding[] = problems.map((problem) => ({
    rule: problem.ruleId ?? (problem.fatal ? 'parse error' : 'eslint'),
    title: problem.ruleId ?? (problem.fatal ? 'parse error' : 'eslint'),
    level: problem.severity === 'error' ? 'failure' : 'warning',
    message: problem.ruleId ? `${problem.message} (${problem.ruleId})` : problem.message,
    // Warnings count only where a limit on them is set.
    blocking: problem.severity === 'error' || maxWarnings !== undefined,
    path: problem.path,
    line: problem.line,
    ...(problem.endLine !== undefined && { endLine: problem.endLine }),
    column: problem.column
  }))
  const filesLinted = parsed.filesLinted
  const limits = [
    maxErrors ? `errors allowed: ${maxErrors}` : '',
    maxWarnings !== undefined ? `warnings allowed: ${maxWarnings}` : ''
  ]
    .filter(Boolean)
    .join(', ')
  /** The verdict on the problems no waiver covers, against the limits. */
  const tell = (
    open: typeof problems,
    counts: { errors: number; warnings: number; fatal: number },
    waived = 0
  ): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const unmet =
      counts.errors > maxErrors || (maxWarnings !== undefined && counts.warnings > maxWarnings)
    const fatal = counts.fatal ? ` (${counts.fatal} unparsable)` : ''
    const files = new Set(open.map((problem) => problem.path)).size
    const waivedNote = waived ? `; ${waived} waived` : ''
    const title =
      open.length === 0
        ? `No ESLint problems in ${plural(filesLinted, 'file')}${waived ? ` (${waived} waived)` : ''}`
        : `${plural(counts.errors, 'error')}${fatal}, ${plural(counts.warnings, 'warning')} in ${plural(files, 'file')}${limits || waivedNote ? ` (${[limits, waivedNote.slice(2)].filter(Boolean).join(', ')})` : ''}`
    const summary = open.length
      ? [
          `${plural(filesLinted, 'file')} linted${legacy ? ' with the legacy .eslintrc configuration' : ''}.`,
          countTable(
            'Rule',
            countBy(
              open,
              (problem) => problem.ruleId ?? (problem.fatal ? 'parse error' : 'unknown')
            )
          ),
          countTable(
            'File',
            countBy(open, (problem) => problem.path)
          )
        ].join('\n\n')
      : `${plural(filesLinted, 'file')} linted.`
    return { conclusion: unmet ? 'failure' : 'success', title, summary }
  }
  return {
    ...tell(problems, { errors: parsed.errors, warnings: parsed.warnings, fatal: parsed.fatal }),
    annotations: [],
    findings,
    // Waivers judged the findings: the limits apply to what they left.
    describe: (judged) => {
      const open = problems.filter((_problem, index) => !judged[index]?.waived)
      return tell(
        open,
        {
          errors: open.filter((problem) => problem.severity === 'error').length,
          warnings: open.filter((problem) => problem.severity === 'warning').length,
          fatal: open.filter((problem) => problem.fatal).length
        },
        problems.length - open.length
      )
    },
    decidedByFindings: true
  }
}

/** A legacy .eslintrc and no flat config, nearest first: ESLint 9 needs ESLINT_USE_FLAT_CONFIG=false. */
async function usesLegacyConfig(root: string, dir: string): Promise<boolean> {
  for (const candidate of upTo(root, dir)) {
    if (await anyExists(candidate, FLAT_CONFIGS)) return false
    if (await anyExists(candidate, LEGACY_CONFIGS)) return true
  }
  return false
}

async function anyExists(dir: string, names: string[]): Promise<boolean> {
  for (const name of names) {
    try {
      await access(join(dir, name))
      return true
    } catch {
      // next
    }
  }
  return false
}

/** The `eslint` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'eslint',
  cpuBound: true,
  run: eslintCheck,
  reportsFindings: true
}
