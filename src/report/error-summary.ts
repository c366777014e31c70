import type { ConfigProblem } from '../config/errors.js'
import { cell, plural } from '../util/text.js'

/**
 * The job summary when nothing could be evaluated because the configuration is wrong: every
 * problem with where to fix it, so the reviewer does not face an empty summary and a red cross.
 */
export function renderConfigErrorSummary(problems: ConfigProblem[]): string {
  const rows = problems.map((problem) => {
    const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.col}` : problem.file
    return `| \`${cell(where)}\` | ${problem.path ? `\`${cell(problem.path)}\`` : ''} | ${cell(problem.message)} |`
  })
  return [
    '## ⚠️ Release gates: configuration error',
    '',
    `${plural(problems.length, 'problem')} in the configuration; no gate was evaluated, so nothing is proven. Fix ${problems.length === 1 ? 'it' : 'them'} and run again (\`release-gates validate\` checks a gates file locally).`,
    '',
    '| Where | Key | Problem |',
    '|---|---|---|',
    ...rows,
    ''
  ].join('\n')
}

/** The job summary when the run could not finish for another reason (a required output, a bug). */
export function renderRunErrorSummary(headline: string, message: string): string {
  return [`## ⚠️ Release gates: ${headline}`, '', cell(message), ''].join('\n')
}
