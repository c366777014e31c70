import type { GateResult, Report } from '../model/report.js'
import { cell, plural } from '../util/text.js'
import { overallTitle } from './conclusion.js'
import { tally } from './console.js'

/** GitHub rejects an issue comment over 65,536 characters. */
export const COMMENT_LIMIT = 65_536

/**
 * The hidden line that finds the comment again on the next run, one per check prefix (so the
 * production and staging runs of one pull request keep a comment each).
 */
export const commentMarker = (prefix: string) =>
  `<!-- release-gates:comment ${prefix.replace(/--+>?/g, '-')} -->`

/**
 * The pull-request comment: the headline, the required gates not met with their one-line
 * reasons, and the sign-offs still pending with how to give each. Details stay in the check runs.
 */
export function renderPullRequestComment(
  report: Report,
  options: { marker: string; prefix: string; limit?: number }
): string {
  const limit = options.limit ?? COMMENT_LIMIT
  const passed = report.result === 'passed'
  const pending = report.gates.filter(
    (gate) => gate.conclusion === 'action_required' && gate.check === 'manual'
  )
  const unmet = report.gates.filter((gate) => gate.blocking && !pending.includes(gate))
  const commit = report.github ? ` on \`${report.github.sha.slice(0, 7)}\`` : ''
  const head = [
    options.marker,
    `### ${passed ? '✅' : '❌'} ${options.prefix} ${passed ? 'passed' : 'failed'}${commit}: ${overallTitle(report)}`,
    `${tally(report, false)}${report.github?.runUrl ? ` · [the run](${report.github.runUrl})` : ''}`
  ].join('\n')
  const sections: Array<{ heading: string; lines: string[] }> = []
  if (unmet.length)
    sections.push({
      heading: `**Required, not met (${unmet.length})**`,
      lines: unmet.map((gate) => `- **${cell(gate.name)}** (\`${gate.id}\`): ${cell(gate.title)}`)
    })
  if (pending.length)
    sections.push({
      heading: `**Sign-offs pending (${pending.length})**: comment the line for each one you verified`,
      lines: pending.map(signoffLine)
    })
  return fitted(head, sections, limit)
}

function signoffLine(gate: GateResult): string {
  return `- ${cell(gate.name)}${gate.required ? '' : ' (advisory)'}: \`/release-gates sign-off ${gate.id}\``
}

/** The sections, as many lines as fit inside the limit; what is left out is counted. */
function fitted(
  head: string,
  sections: Array<{ heading: string; lines: string[] }>,
  limit: number
): string {
  const footer = (left: number) =>
    left ? `\n\n… and ${plural(left, 'more line')}: every gate is in the check runs.` : ''
  let text = head
  let left = sections.reduce((sum, section) => sum + section.lines.length, 0)
  for (const section of sections) {
    const opening = `\n\n${section.heading}\n`
    if (text.length + opening.length + footer(left).length > limit) break
    text += opening
    for (const line of section.lines) {
      if (text.length + line.length + 1 + footer(left - 1).length > limit) break
      text += `\n${line}`
      left--
    }
  }
  return `${text}${footer(left)}\n`
}
