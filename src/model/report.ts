import type { PlannedGate, ShardInfo, Waiver } from './plan.js'
import type { Conclusion, Outcome } from './types.js'

/** A gate-level waiver that turned an unmet gate into a waived one. */
export interface AppliedWaiver {
  reason: string
  owner: string
  expires: string
  location: string
  /** The conclusion the gate had before the waiver. */
  original: Conclusion
}

/** One gate's outcome as every reporter reads it. */
export interface GateResult extends Outcome {
  id: string
  name: string
  section?: string
  check: string
  required: boolean
  /** The gate is satisfied: passed, waived, or switched off. */
  met: boolean
  /** Unmet and required: this is why the run fails. */
  blocking: boolean
  /** ISO timestamps: when the gate started and finished (the check run's started_at/completed_at). */
  startedAt: string
  completedAt: string
  durationMs: number
  waiver?: AppliedWaiver
  /** How the gate's findings compared with its baseline, when it has one. */
  baseline?: BaselineCounts
  expiredWaivers: Waiver[]
  /** Finding waivers in force that matched no finding: stale, worth removing. */
  unusedWaivers?: Waiver[]
  location: string
}

export interface Report {
  tool: { name: string; version: string }
  file: string
  /** Gates files of other repositories the file extends, each at the commit it was read at. */
  extends?: Array<{ name: string; sha: string }>
  environment?: string
  stage: string
  /** A partial report: the gates of one shard of the plan (`shard: K/N`). */
  shard?: ShardInfo
  /** A report merged from this many shards' reports (`merge-reports`). */
  mergedShards?: number
  /** The commit and run this report is evidence for, when it ran on GitHub. */
  github?: { eventName: string; sha: string; ref?: string; repository?: string; runUrl?: string }
  startedAt: string
  durationMs: number
  /** `failed` iff a required gate is unmet. */
  result: 'passed' | 'failed'
  counts: Record<Conclusion, number> & { total: number; blocking: number; waived: number }
  /** Ids of the required gates that are unmet. */
  failedGates: string[]
  gates: GateResult[]
}

/** Every conclusion an Outcome may have (GitHub's check-run conclusions, less cancelled and stale). */
export const CONCLUSIONS: ReadonlySet<string> = new Set<Conclusion>([
  'success',
  'failure',
  'neutral',
  'action_required',
  'timed_out',
  'skipped'
])

/** Conclusions that satisfy a gate. */
export const MET_CONCLUSIONS: ReadonlySet<Conclusion> = new Set(['success', 'neutral', 'skipped'])

export function countConclusions(gates: GateResult[]): Report['counts'] {
  const counts: Report['counts'] = {
    success: 0,
    failure: 0,
    neutral: 0,
    action_required: 0,
    timed_out: 0,
    skipped: 0,
    total: gates.length,
    blocking: 0,
    waived: 0
  }
  for (const gate of gates) {
    counts[gate.conclusion]++
    if (gate.blocking) counts.blocking++
    if (gate.waiver) counts.waived++
  }
  return counts
}

/** What a run tells while it goes: a gate started, a gate finished (with how far the run is). */
export type ProgressEvent =
  | { type: 'start'; gate: PlannedGate }
  | { type: 'finish'; result: GateResult; done: number; total: number }

/** What a baseline made of a gate's findings: new, still there, fixed. */
export interface BaselineCounts {
  source: string
  new: number
  known: number
  fixed: number
}
