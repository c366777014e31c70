import type { DocPath, SourceFile } from './source.js'
import type { WaiverDef } from '../model/plan.js'

// The resolved plan is shared data (model/); the file's own shapes stay here.
export type { Plan, PlannedGate, Waiver, WaiverDef } from '../model/plan.js'
export { FINDING_SELECTORS } from '../model/plan.js'
import type { RemoteSource } from './remote.js'

/** Where a piece of configuration was written, for messages that point at it. */
export interface Origin {
  source: SourceFile
  path: DocPath
}

export interface GateDef {
  id: string
  name?: string
  section?: string
  /** Absent only on a redefinition of a gate from an extended file (it keeps its kind). */
  check?: string
  with?: Record<string, unknown>
  required?: boolean
  enabled?: boolean
  environments?: string[]
  stage?: string | string[]
  timeout?: number | string
  waivers?: WaiverDef[]
  needs?: string[]
  after?: string[]
  baseline?: string
}

export interface GateOverrideDef {
  required?: boolean
  enabled?: boolean
  timeout?: number | string
  with?: Record<string, unknown>
  waivers?: WaiverDef[]
}

export interface EnvironmentDef {
  extends?: string
  description?: string
  defaults?: { required?: boolean; timeout?: number | string }
  gates?: Record<string, GateOverrideDef>
}

export interface DefaultsDef {
  required?: boolean
  timeout?: number | string
  stage?: string
  environment?: string
}

/** The shape a gates file has once the schema accepted it. */
export interface GatesFileDef {
  version: 1
  extends?: string | string[]
  defaults?: DefaultsDef
  stages?: string[]
  environments?: Record<string, EnvironmentDef>
  gates?: GateDef[]
}

/** A gates file merged with everything it extends, each part remembering its origin. */
export interface GatesConfig {
  /** The file the maintainer pointed at. */
  file: string
  /** That file as parsed, to point at its parts. */
  source?: SourceFile
  defaults: DefaultsDef
  /** Which layer set each default, to point at it. */
  defaultsSources: Partial<Record<keyof DefaultsDef, SourceFile>>
  stages: string[]
  environments: Map<string, { def: EnvironmentDef; origin: Origin }>
  /** Overrides by environment, then gate id, each with its origin (an environment may be declared in several layers). */
  overrides: Map<string, Map<string, Array<{ def: GateOverrideDef; origin: Origin }>>>
  gates: Array<{ def: MergedGateDef; origin: Origin }>
  /** Gates files of other repositories it extends, each at the commit it was read at. */
  remoteSources?: RemoteSource[]
}

/** A gate once every layer is merged: it has its kind. */
export type MergedGateDef = GateDef & { check: string }

export const BUILT_IN_STAGES = ['pre-release', 'post-deploy', 'recurring'] as const
export const DEFAULT_TIMEOUT = '10m'
export const DEFAULT_STAGE = 'pre-release'
