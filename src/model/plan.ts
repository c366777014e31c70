/** The resolved plan: what config hands the engine. Types only; imports nothing of ours. */

export interface WaiverDef {
  id?: string
  package?: string
  path?: string
  reason: string
  owner: string
  expires: string
}

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
export interface Plan {
  file: string
  environment?: string
  stage: string
  gates: PlannedGate[]
}
