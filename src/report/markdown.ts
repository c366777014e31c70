import type { GateResult, Report } from '../model/report.js'
import { formatDuration } from '../util/duration.js'
import { cell, inline, inlineCell } from '../util/text.js'
import { statusOf } from './status.js'

/** One table of every gate: status, gate, section, result, required or advisory, time. */
export function gatesTable(gates: GateResult[]): string {
  const rows = gates.map((gate) => {
    const status = statusOf(gate)
    const name =
      gate.name === gate.id
        ? `\`${gate.id}\``
        : `${inlineCell(gate.name)}<br><sub>\`${gate.id}\`</sub>`
    return `| ${status.icon} ${status.word} | ${name} | ${inlineCell(gate.section ?? '')} | ${inlineCell(gate.title)} | ${gate.required ? 'required' : 'advisory'} | ${formatDuration(gate.durationMs)} |`
  })
  return [
    '| Status | Gate | Section | Result | Required | Time |',
    '|---|---|---|---|---|---:|',
    ...rows
  ].join('\n')
}

/** The facts line under a gate's heading: required, section, kind, time, where it is defined. */
export function gateFacts(gate: GateResult): string {
  return [
    gate.required ? '**Required**' : '**Advisory**',
    gate.section && inline(gate.section),
    `\`${gate.check}\``,
    formatDuration(gate.durationMs),
    `defined at \`${gate.location}\``
  ]
    .filter(Boolean)
    .join(' · ')
}

const ANNOTATIONS_IN_DETAILS = 20

/** A gate's details for a reviewer: heading, facts, summary, its first annotations. */
export function gateDetails(gate: GateResult, headingLevel = 3): string {
  const status = statusOf(gate)
  const parts = [
    `${'#'.repeat(headingLevel)} ${status.icon} ${inline(gate.name).replace(/\r?\n/g, ' ')} (\`${gate.id}\`)`,
    gateFacts(gate),
    `**${inline(gate.title).replace(/\r?\n/g, ' ')}**`
  ]
  if (gate.summary.trim()) parts.push(gate.summary.trim())
  // A finding the summary already shows (the secrets table names `path:line`) is listed once.
  const unlisted = gate.annotations.filter(
    (annotation) => !gate.summary.includes(`${annotation.path}:${annotation.line}`)
  )
  if (unlisted.length) {
    const shown = unlisted.slice(0, ANNOTATIONS_IN_DETAILS).map((annotation) => {
      const column = annotation.column ? `:${annotation.column}` : ''
      return `- \`${annotation.path}:${annotation.line}${column}\` ${annotation.level}: ${cell(annotation.message)}`
    })
    const more = unlisted.length - shown.length
    parts.push([...shown, ...(more > 0 ? [`- … and ${more} more`] : [])].join('\n'))
  }
  return parts.join('\n\n')
}

/** Waivers in force and expired, so neither is forgotten. */
export function waiversSection(report: Report): string {
  const rows: string[] = []
  for (const gate of report.gates) {
    if (gate.waiver) {
      rows.push(
        `| \`${gate.id}\` | 🟡 in force | ${cell(gate.waiver.owner)} | ${gate.waiver.expires} | ${cell(gate.waiver.reason)} | \`${gate.waiver.location}\` |`
      )
    }
    for (const waiver of gate.expiredWaivers) {
      rows.push(
        `| \`${gate.id}\` | ⌛ expired | ${cell(waiver.owner)} | ${waiver.expires} | ${cell(waiver.reason)} | \`${waiver.location}\` |`
      )
    }
  }
  if (!rows.length) return ''
  return [
    '### Waivers',
    '',
    '| Gate | State | Owner | Expires | Reason | Where |',
    '|---|---|---|---|---|---|',
    ...rows
  ].join('\n')
}
