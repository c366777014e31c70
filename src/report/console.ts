import { styleText } from 'node:util'
import type { GateResult, Report } from '../model/report.js'
import { formatDuration } from '../util/duration.js'
import { plural } from '../util/text.js'
import { markdownToText } from './plain-text.js'
import { statusOf } from './status.js'
import type { Status } from './status.js'

export interface ConsoleStyle {
  color: boolean
  /** Terminal width to fit the table into. */
  width: number
}

const TONES: Record<Status['tone'], Parameters<typeof styleText>[0]> = {
  good: 'green',
  bad: 'red',
  warn: 'yellow',
  muted: 'dim'
}

/** The caller decided on colour (a TTY, no NO_COLOR): styleText must not decide again. */
const paintText = (format: Parameters<typeof styleText>[0], text: string): string =>
  styleText(format, text, { validateStream: false })

/** The table a person reads after a run: status, gate, section, result, time; then what is unmet. */
export function renderConsoleReport(report: Report, style: ConsoleStyle): string {
  const paint = (tone: Status['tone'], text: string): string =>
    style.color ? paintText(TONES[tone], text) : text
  const bold = (text: string): string => (style.color ? paintText('bold', text) : text)

  const header = ['STATUS', 'GATE', 'SECTION', 'RESULT', 'TIME']
  const rows = report.gates.map((gate) => {
    const status = statusOf(gate)
    return {
      status,
      cells: [
        `${status.symbol} ${status.word}`,
        gate.id,
        gate.section ?? '',
        gate.title,
        formatDuration(gate.durationMs)
      ]
    }
  })
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => row.cells[column]!.length))
  )
  // Give the result column what is left of the terminal, and the section at most 28.
  widths[2] = Math.min(widths[2]!, 28)
  const fixed = widths[0]! + widths[1]! + widths[2]! + widths[4]! + 4 * 2
  widths[3] = Math.max(20, Math.min(widths[3]!, style.width - fixed))

  const line = (cells: string[]): string =>
    cells
      .map((text, column) => fit(text, widths[column]!, column === 4))
      .join('  ')
      .trimEnd()
  const out: string[] = []
  const where = [report.environment, report.stage].filter(Boolean).join(' · ')
  out.push(bold(`Release gates · ${where} · ${report.file}`), '')
  out.push(bold(line(header)))
  for (const row of rows) {
    const text = line(row.cells)
    const statusWidth = widths[0]!
    out.push(paint(row.status.tone, text.slice(0, statusWidth)) + text.slice(statusWidth))
  }

  const unmet = report.gates.filter((gate) => !gate.met || gate.expiredWaivers.length > 0)
  if (unmet.length) {
    for (const gate of unmet) out.push('', ...renderDetails(gate, bold))
  }
  out.push('', tally(report))
  out.push(
    report.result === 'passed'
      ? paint('good', bold('Result: PASSED')) + ' — every required gate is met'
      : paint('bad', bold('Result: FAILED')) +
          ` — required gates unmet: ${report.failedGates.join(', ')}`
  )
  return out.join('\n') + '\n'
}

function renderDetails(gate: GateResult, bold: (text: string) => string): string[] {
  const lines = [bold(`${statusOf(gate).symbol} ${gate.id} — ${gate.name}`)]
  const summary = markdownToText(gate.summary.trim()).split('\n')
  const shown = summary.slice(0, 20)
  lines.push(...shown.map((text) => (text.trim() ? `    ${text}` : '')))
  if (summary.length > shown.length)
    lines.push(`    … ${summary.length - shown.length} more lines in the JSON report`)
  for (const annotation of gate.annotations.slice(0, 10)) {
    const column = annotation.column ? `:${annotation.column}` : ''
    lines.push(
      `    ${annotation.path}:${annotation.line}${column} ${annotation.level}: ${annotation.message}`
    )
  }
  if (gate.annotations.length > 10)
    lines.push(`    … ${gate.annotations.length - 10} more annotations in the JSON report`)
  lines.push(`    (defined at ${gate.location})`)
  return lines
}

/** "7 gates: 4 passed, 1 failed, 1 needs sign-off, 1 skipped · 8.3s" */
export function tally(report: Report, withDuration = true): string {
  const { counts } = report
  const parts = [
    counts.success && `${counts.success} passed`,
    counts.failure && `${counts.failure} failed`,
    counts.timed_out && `${counts.timed_out} timed out`,
    counts.action_required &&
      `${counts.action_required} ${counts.action_required === 1 ? 'needs' : 'need'} sign-off`,
    counts.waived && `${counts.waived} waived`,
    counts.neutral - counts.waived > 0 && `${counts.neutral - counts.waived} neutral`,
    counts.skipped && `${counts.skipped} skipped`
  ].filter(Boolean)
  return `${plural(counts.total, 'gate')}: ${parts.join(', ') || 'none run'}${withDuration ? ` · ${formatDuration(report.durationMs)}` : ''}`
}

function fit(text: string, width: number, alignRight: boolean): string {
  const clipped = text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text
  return alignRight ? clipped.padStart(width) : clipped.padEnd(width)
}
