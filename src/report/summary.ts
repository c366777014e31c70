import type { Report } from '../model/report.js'
import { truncateUtf8 } from '../util/utf8.js'
import { overallTitle } from './conclusion.js'
import { tally } from './console.js'
import { gateDetails, gatesTable, waiversSection } from './markdown.js'

/** GitHub rejects a step summary over 1 MiB; stay well inside it. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024 - 1024

/**
 * The job summary a reviewer reads first: a headline (passed or failed, environment, stage,
 * commit), one table of every gate, the details of every unmet gate, and the waivers.
 */
export function renderJobSummary(report: Report, limit = STEP_SUMMARY_LIMIT): string {
  const passed = report.result === 'passed'
  const where = [
    report.environment && `**${report.environment}**`,
    `stage \`${report.stage}\``,
    report.github && `commit \`${report.github.sha.slice(0, 7)}\``,
    report.shard &&
      `shard ${report.shard.index} of ${report.shard.total}: ${report.gates.length} of the plan's ${report.shard.gates.length} gates`,
    report.mergedShards && `merged from ${report.mergedShards} shards`
  ]
    .filter(Boolean)
    .join(' · ')
  // The headline counts required gates unmet, then advisory ones: so do the sections.
  const blocking = report.gates.filter((gate) => gate.blocking)
  const advisory = report.gates.filter((gate) => !gate.met && !gate.required)
  const parts = [
    `## ${passed ? '✅' : '❌'} Release gates${report.shard ? ` shard ${report.shard.index}/${report.shard.total}` : ''} ${passed ? 'passed' : 'failed'}: ${overallTitle(report)}`,
    `${where} · \`${report.file}\` · ${tally(report)}`,
    ...(report.extends?.length
      ? [
          `Extends ${report.extends.map((source) => `\`${source.name}\` at \`${source.sha.slice(0, 12)}\``).join(', ')}`
        ]
      : []),
    gatesTable(report.gates)
  ]
  if (blocking.length)
    parts.push(
      `### Required, not met (${blocking.length})`,
      ...blocking.map((gate) => gateDetails(gate, 4))
    )
  if (advisory.length)
    parts.push(
      `### Advisory, not met (${advisory.length})`,
      ...advisory.map((gate) => gateDetails(gate, 4))
    )
  const waivers = waiversSection(report)
  if (waivers) parts.push(waivers)
  return truncateUtf8(
    parts.join('\n\n') + '\n',
    limit,
    (dropped) =>
      `\n\n> ✂️ The summary was cut to fit GitHub's 1 MiB limit (${dropped} bytes left out). Every detail is in the JSON report.\n`
  )
}
