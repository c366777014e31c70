/** The resolved plan: what config hands the engine. Types, and one list; imports nothing of ours. */

export interface WaiverDef {
  /** An advisory id or one of its aliases (CVE), a rule, or a fingerprint. */
  id?: string
  /** The tool's rule (`no-console`, `TS2322`, a secret rule). */
  rule?: string
  /** The fingerprint a report gives the finding. */
  fingerprint?: string
  package?: string
  /** A file glob, or a dependency path (`node_modules/a/node_modules/b`, or its tail). */
  path?: string
  reason: string
  owner: string
  expires: string
}

/** A waiver names findings when it gives any of these; without them it waives the whole gate. */
export const FINDING_SELECTORS = ['id', 'rule', 'fingerprint', 'package', 'path'] as const

/** A waiver as the engine applies it. */
export interface Waiver extends WaiverDef {
  /** file:line:col of the waiver, so a report can point a maintainer at it. */
  location: string
}

/** One gate as it runs in one environment and stage. */
export interface PlannedGate {
  id: string
  name: string
  section?: string
  check: string
  with: Record<string, unknown>
  required: boolean
  stages: string[]
  timeoutMs: number
  waivers: Waiver[]
  /** Gates this one depends on: it runs after them, and only if they are met. */
  needs: string[]
  /** Gates this one runs after, whatever they concluded (ordering only). */
  after: string[]
  /** Accepted findings (a baseline file or an earlier report): only new ones count. */
  baseline?: string
  /** False when the environment switched the gate off: reported as skipped, never run. */
  enabled: boolean
  disabledReason?: string
  location: string
}

/** What the engine runs: the resolved gates of one environment and one stage. */
/** Which part of a plan a sharded run evaluates, and how to tell its plan from another. */
export interface ShardInfo {
  /** 1-based. */
  index: number
  total: number
  /** A digest of the whole plan (file, environment, stage, gates and their options). */
  plan: string
  /** Every gate id of the whole plan, in plan order: a merge proves each was evaluated once. */
  gates: string[]
}

export interface Plan {
  file: string
  /** Set when this run evaluates one shard of the plan (`shard: K/N`). */
  shard?: ShardInfo
  /** Gates files of other repositories it extends (`github:…@REF`), each at the commit read. */
  extends?: Array<{ name: string; sha: string }>
  environment?: string
  stage: string
  gates: PlannedGate[]
}
