import type { GateResult, Report } from '../model/report.js'
import type { Conclusion } from '../model/types.js'

/**
 * The conclusion a gate's check run gets. Unmet advisory gates are `neutral` (shown, never
 * blocking a merge); unmet required ones keep what happened: failure, timed_out, or
 * action_required for a sign-off nobody gave.
 */
export function checkRunConclusion(gate: GateResult): Conclusion {
  if (gate.met) return gate.conclusion
  return gate.required ? gate.conclusion : 'neutral'
}

/** Worst first: a group of gates concludes as its worst member. */
const SEVERITY: Conclusion[] = [
  'failure',
  'timed_out',
  'action_required',
  'neutral',
  'success',
  'skipped'
]

export function worstConclusion(conclusions: Conclusion[]): Conclusion {
  return SEVERITY.find((conclusion) => conclusions.includes(conclusion)) ?? 'skipped'
}

/**
 * The overall check's conclusion, the one name branch protection requires: success when every
 * required gate is met; action_required when only sign-offs are missing; failure otherwise.
 */
export function overallConclusion(report: Report): Conclusion {
  if (report.result === 'passed') return 'success'
  const blocking = report.gates.filter((gate) => gate.blocking)
  return blocking.every((gate) => gate.conclusion === 'action_required')
    ? 'action_required'
    : 'failure'
}

/** "3 required gates unmet: lint, tests, qa" / "All 12 required gates met, 2 advisory not met" */
export function overallTitle(report: Report): string {
  const required = report.gates.filter((gate) => gate.required && gate.conclusion !== 'skipped')
  const advisoryUnmet = report.gates.filter((gate) => !gate.required && !gate.met).length
  const extras = [
    advisoryUnmet && `${advisoryUnmet} advisory not met`,
    report.counts.waived && `${report.counts.waived} waived`
  ].filter(Boolean)
  const tail = extras.length ? `, ${extras.join(', ')}` : ''
  if (report.result === 'passed') {
    return required.length === 1
      ? `The required gate is met${tail}`
      : `All ${required.length} required gates met${tail}`
  }
  const ids = report.failedGates
  const named =
    ids.length > 5 ? `${ids.slice(0, 5).join(', ')} and ${ids.length - 5} more` : ids.join(', ')
  return `${ids.length} required gate${ids.length === 1 ? '' : 's'} unmet: ${named}`
}
