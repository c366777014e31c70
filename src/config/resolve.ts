import { suggestion } from '../util/did-you-mean.js'
import { parseDuration } from '../util/duration.js'
import { ConfigError } from './errors.js'
import type { ConfigProblem } from './errors.js'
import { deepMerge, unknownEnvironment, unknownStage } from './load.js'
import { DEFAULT_STAGE, DEFAULT_TIMEOUT } from './model.js'
import type {
  GateOverrideDef,
  GatesConfig,
  Origin,
  Plan,
  PlannedGate,
  Waiver,
  WaiverDef
} from './model.js'
import { schemaValidator, translateErrors } from './validate.js'

export interface PlanOptions {
  /** The environment to resolve; falls back to `defaults.environment`. */
  environment?: string
  /** The stage to run; falls back to `defaults.stage`, then pre-release. `all` takes every stage. */
  stage?: string
  /** Only these gate ids. */
  only?: string[]
  /** A plan with no gate to evaluate is a mistake unless this says it is expected. */
  allowEmpty?: boolean
}

export const ALL_STAGES = 'all'

/**
 * Resolves one environment and one stage of a loaded config into the Plan the engine runs:
 * environment overrides applied (base environments first), `with` merged and validated again,
 * timeouts in milliseconds, gates switched off kept as disabled so they are reported as skipped.
 */
export function resolvePlan(config: GatesConfig, options: PlanOptions = {}): Plan {
  const problems: ConfigProblem[] = []
  const envNames = [...config.environments.keys()]
  const environment = options.environment || config.defaults.environment || undefined
  if (environment === undefined && envNames.length > 0) {
    throw ConfigError.single(
      config.file,
      `choose an environment: one of ${envNames.join(', ')} (--env, the action's 'environment' input, or defaults.environment)`
    )
  }
  if (environment !== undefined && envNames.length > 0 && !config.environments.has(environment)) {
    throw ConfigError.single(config.file, unknownEnvironment(environment, envNames))
  }
  if (environment !== undefined && envNames.length === 0) {
    throw ConfigError.single(
      config.file,
      `unknown environment '${environment}': this file declares no environments (declare it under 'environments', or run without one)`
    )
  }
  const stage = options.stage || config.defaults.stage || DEFAULT_STAGE
  if (stage !== ALL_STAGES && !config.stages.includes(stage)) {
    throw ConfigError.single(config.file, unknownStage(stage, [...config.stages, ALL_STAGES]))
  }
  const ids = config.gates.map((gate) => gate.def.id)
  for (const id of options.only ?? []) {
    if (!ids.includes(id)) {
      problems.push({
        file: config.file,
        line: 0,
        col: 0,
        path: '',
        message: `--only names no gate '${id}'${suggestion(id, ids)}`
      })
    }
  }

  const chain = environment === undefined ? [] : environmentChain(config, environment)
  const envDefaults = Object.assign(
    {},
    ...chain.map((name) => config.environments.get(name)!.def.defaults ?? {})
  ) as {
    required?: boolean
    timeout?: number | string
  }
  const gates: PlannedGate[] = []
  for (const { def, origin } of config.gates) {
    if (options.only && !options.only.includes(def.id)) continue
    if (environment !== undefined && def.environments && !def.environments.includes(environment))
      continue
    const stages =
      def.stage === undefined ? [config.defaults.stage ?? DEFAULT_STAGE] : [def.stage].flat()
    if (stage !== ALL_STAGES && !stages.includes(stage)) continue

    const overrides = chain.flatMap((name) => config.overrides.get(name)?.get(def.id) ?? [])
    // Waivers add up (collected below with their positions); everything else is overridden.
    let merged: Omit<GateOverrideDef, 'waivers'> & { with: Record<string, unknown> } = {
      required: def.required,
      enabled: def.enabled,
      timeout: def.timeout,
      with: def.with ?? {}
    }
    const waivers: Waiver[] = (def.waivers ?? []).map((waiver, index) =>
      locateWaiver(waiver, origin, ['waivers', index])
    )
    for (const { def: override, origin: overrideOrigin } of overrides) {
      const { waivers: _added, ...settings } = override
      merged = {
        ...merged,
        ...withoutUndefined(settings),
        with: deepMerge(merged.with, override.with ?? {})
      }
      waivers.push(
        ...(override.waivers ?? []).map((waiver, index) =>
          locateWaiver(waiver, overrideOrigin, ['waivers', index])
        )
      )
    }
    if (overrides.some((item) => item.def.with)) {
      problems.push(
        ...validateMergedWith(
          def.check,
          merged.with,
          origin,
          overrides.map((item) => item.origin)
        )
      )
    }

    const enabled = merged.enabled ?? true
    const switchedOffBy = [...overrides].reverse().find((item) => item.def.enabled === false)
    gates.push({
      id: def.id,
      name: def.name ?? def.id,
      ...(def.section !== undefined && { section: def.section }),
      check: def.check,
      with: merged.with,
      required: merged.required ?? envDefaults.required ?? config.defaults.required ?? true,
      stages,
      timeoutMs: parseDuration(
        merged.timeout ?? envDefaults.timeout ?? config.defaults.timeout ?? DEFAULT_TIMEOUT
      ),
      waivers,
      needs: def.needs ?? [],
      after: def.after ?? [],
      ...(def.baseline !== undefined && { baseline: def.baseline }),
      enabled,
      ...(!enabled && {
        disabledReason: switchedOffBy
          ? `switched off for ${environment} (${locationOf(switchedOffBy.origin)})`
          : `switched off (enabled: false at ${locationOf(origin)})`
      }),
      location: locationOf(origin)
    })
  }
  if (problems.length > 0) throw new ConfigError(problems)
  if (!options.allowEmpty && !gates.some((gate) => gate.enabled))
    throw emptyPlan(config, gates, environment, stage)
  return {
    file: config.file,
    ...(config.remoteSources && { extends: config.remoteSources }),
    ...(environment !== undefined && { environment }),
    stage,
    gates: orderByNeeds(gates)
  }
}

/** Nothing to evaluate is never a pass: a run that proves nothing must not look like one that proved everything. */
function emptyPlan(
  config: GatesConfig,
  gates: PlannedGate[],
  environment: string | undefined,
  stage: string
): ConfigError {
  const stages = stage === ALL_STAGES ? 'any stage' : stage
  const where = environment === undefined ? stages : `${environment}/${stages}`
  const off = gates.length ? ` (${gates.length} switched off)` : ''
  const at = config.source?.locate(
    config.source.value && typeof config.source.value === 'object' && 'gates' in config.source.value
      ? ['gates']
      : [],
    { key: true }
  ) ?? { line: 0, col: 0 }
  return ConfigError.single(
    config.file,
    `no gates to evaluate in ${where}${off}: add gates for it, or pass --allow-empty (the action's 'allow-empty: true') if nothing to check is expected`,
    at.line,
    at.col
  )
}

/** The environment and its bases, base first, so the most specific override applies last. */
function environmentChain(config: GatesConfig, name: string): string[] {
  const chain: string[] = []
  let current: string | undefined = name
  while (current !== undefined && !chain.includes(current)) {
    chain.unshift(current)
    current = config.environments.get(current)?.def.extends
  }
  return chain
}

/** Re-validates a kind's options once overrides are merged, pointing at the override that set a bad value. */
function validateMergedWith(
  kind: string,
  value: Record<string, unknown>,
  gateOrigin: Origin,
  overrideOrigins: Origin[]
): ConfigProblem[] {
  const validate = schemaValidator().withOf(kind)
  if (!validate || validate(value)) return []
  const problems: ConfigProblem[] = []
  for (const error of validate.errors ?? []) {
    const firstKey =
      error.instancePath.split('/')[1] ??
      String((error.params as { additionalProperty?: string }).additionalProperty ?? '')
    const origin =
      [...overrideOrigins].reverse().find((item) => hasWithKey(item, firstKey)) ?? gateOrigin
    problems.push(...translateErrors([error], origin.source, [...origin.path, 'with']))
  }
  return problems
}

function hasWithKey(origin: Origin, key: string): boolean {
  let node: unknown = origin.source.value
  for (const part of [...origin.path, 'with'])
    node = (node as Record<string | number, unknown> | undefined)?.[part]
  return typeof node === 'object' && node !== null && key in node
}

function locateWaiver(waiver: WaiverDef, origin: Origin, sub: Array<string | number>): Waiver {
  const { line, col } = origin.source.locate([...origin.path, ...sub])
  return { ...waiver, location: `${origin.source.file}:${line}:${col}` }
}

/** file:line:col of a gate (its list item) or an override (the gate id naming it). */
function locationOf(origin: Origin): string {
  const { line, col } = origin.source.locate(origin.path, { key: true })
  return `${origin.source.file}:${line}:${col}`
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined)
  ) as Partial<T>
}

/**
 * Gates after the gates they need, otherwise in file order. The engine starts gates in this order,
 * so a gate only ever waits for one already started. (Cycles were rejected when loading.)
 */
function orderByNeeds(gates: PlannedGate[]): PlannedGate[] {
  const byId = new Map(gates.map((gate) => [gate.id, gate]))
  const ordered: PlannedGate[] = []
  const placed = new Set<string>()
  const place = (gate: PlannedGate): void => {
    if (placed.has(gate.id)) return
    placed.add(gate.id)
    for (const id of [...gate.needs, ...gate.after]) {
      const needed = byId.get(id)
      if (needed) place(needed)
    }
    ordered.push(gate)
  }
  gates.forEach(place)
  return ordered
}
