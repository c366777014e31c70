import type { PlannedGate, Waiver } from '../config/model.js'
import type { AppliedWaiver } from '../model/report.js'
import { MET_CONCLUSIONS } from '../model/report.js'
import type { Outcome } from '../model/types.js'

/** A waiver waives through the day before `expires`; from that day on it is expired. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.toISOString().slice(0, 10) >= waiver.expires
}

/** Waivers that name no finding: they waive the gate as a whole. */
export function gateLevelWaivers(gate: PlannedGate): Waiver[] {
  return gate.waivers.filter((waiver) => !waiver.id && !waiver.package && !waiver.path)
}

export interface WaiverVerdict {
  outcome: Outcome
  waiver?: AppliedWaiver
  expired: Waiver[]
}

/**
 * Applies gate-level waivers to an outcome: an unmet gate with a waiver in force becomes
 * `neutral` (met, and said to be waived); expired waivers waive nothing and are listed so
 * someone renews or removes them.
 */
export function applyGateWaivers(gate: PlannedGate, outcome: Outcome, now: Date): WaiverVerdict {
  const candidates = gateLevelWaivers(gate)
  const expired = candidates.filter((waiver) => isExpired(waiver, now))
  const active = candidates.find((waiver) => !isExpired(waiver, now))
  const expiredNote = expired.length
    ? '\n\n' +
      expired
        .map(
          (waiver) =>
            `> **Expired waiver** (${waiver.owner}, expired ${waiver.expires}, ${waiver.location}): ${waiver.reason}. It no longer waives this gate.`
        )
        .join('\n')
    : ''

  if (MET_CONCLUSIONS.has(outcome.conclusion) || !active) {
    return { outcome: { ...outcome, summary: outcome.summary + expiredNote }, expired }
  }
  const waiver: AppliedWaiver = {
    reason: active.reason,
    owner: active.owner,
    expires: active.expires,
    location: active.location,
    original: outcome.conclusion
  }
  return {
    outcome: {
      ...outcome,
      conclusion: 'neutral',
      title: `Waived until ${active.expires}: ${outcome.title}`,
      summary:
        `> **Waived** by ${active.owner} until ${active.expires} (${active.location}): ${active.reason}\n\n` +
        outcome.summary +
        expiredNote
    },
    waiver,
    expired
  }
}
