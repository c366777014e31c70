import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { CHECKS, findingKinds } from '../checks/index.js'
import { catalogDir } from '../config/catalog.js'
import { ConfigError } from '../config/errors.js'
import type { ConfigProblem } from '../config/errors.js'
import { loadConfig } from '../config/load.js'
import type { GatesConfig, Plan } from '../config/model.js'
import { readFromDisk } from '../config/source.js'
import type { TextReader } from '../config/source.js'
import type { RemoteReader } from '../config/remote.js'
import { resolveInside } from '../checks/shared/paths.js'
import { ALL_STAGES, resolvePlan } from '../config/resolve.js'
import type { PlanOptions } from '../config/resolve.js'
import type { GateResult, Report } from '../model/report.js'
import { runPlan } from './run-plan.js'
import { shardPlan } from './shard.js'
import type { Durations, ShardSpec } from './shard.js'
import type { CheckRegistry, ProgressEvent } from './run-plan.js'
import type {
  GitHubContext,
  Logger,
  RepositorySettingsSource,
  SignoffSource
} from '../model/types.js'
import { exec } from '../util/exec.js'
import { Redactor } from '../util/redact.js'

/** The default gates file, relative to the repository root. */
export const DEFAULT_CONFIG = '.github/release-gates.yml'

export interface PlanRequest extends PlanOptions {
  config?: string
  /** Repository root. */
  cwd: string
  /** How the gates file (and local files it extends) are read; default: from disk. */
  readFile?: TextReader
  /** Reads `extends: github:…` files through the API; without it they are a configuration error. */
  remote?: RemoteReader
}

/** Loads, validates and resolves a gates file into the Plan for one environment and stage. */
export async function loadPlan(request: PlanRequest): Promise<Plan> {
  const config = await loadConfig(request.config ?? DEFAULT_CONFIG, {
    cwd: request.cwd,
    findingKinds: findingKinds(),
    checkOptions,
    ...(request.readFile && { readFile: request.readFile }),
    ...(request.remote && { remote: request.remote })
  })
  return resolvePlan(config, request)
}

/**
 * Validates a gates file for every environment it declares (overrides are only checked once
 * merged), returning the loaded config. Throws one ConfigError with every problem.
 */
export async function validateAll(
  request: Omit<PlanRequest, 'environment' | 'stage' | 'only'>
): Promise<{ config: GatesConfig; plans: Plan[] }> {
  const config = await loadConfig(request.config ?? DEFAULT_CONFIG, {
    cwd: request.cwd,
    findingKinds: findingKinds(),
    checkOptions,
    ...(request.readFile && { readFile: request.readFile }),
    ...(request.remote && { remote: request.remote })
  })
  const environments = config.environments.size ? [...config.environments.keys()] : [undefined]
  const problems = new Map<string, ConfigProblem>()
  const plans: Plan[] = []
  for (const environment of environments) {
    try {
      plans.push(
        resolvePlan(config, {
          ...(environment !== undefined && { environment }),
          stage: ALL_STAGES,
          ...(request.allowEmpty && { allowEmpty: true })
        })
      )
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      for (const problem of error.problems) problems.set(JSON.stringify(problem), problem)
    }
  }
  if (problems.size) throw new ConfigError([...problems.values()])
  return { config, plans }
}

/** The registry's checks of a kind's options, for the config loader (which knows no kinds). */
async function checkOptions(
  kind: string,
  options: Record<string, unknown>,
  context: { cwd: string; read: TextReader }
): Promise<Array<{ path: Array<string | number>; message: string }>> {
  return (await CHECKS[kind]?.checkOptions?.(options, context)) ?? []
}

export interface EvaluateOptions {
  cwd: string
  env: NodeJS.ProcessEnv
  logger: Logger
  /** Called for every secret value so the host can mask it (core.setSecret in the action). */
  onSecret?: (value: string) => void
  /** Values known to be secret before anything runs (the action's token). */
  secrets?: string[]
  /** How policy files are read (the gates file's reader: the API at the base commit); default disk. */
  readPolicy?: TextReader
  onProgress?: (event: ProgressEvent) => void
  /** Each gate's result once it is final and redacted of every secret: to stream check runs. */
  onPublishable?: (result: GateResult) => void
  concurrency?: number
  github?: GitHubContext
  signoffs?: SignoffSource
  /** Reads repository settings for `github` gates. */
  settings?: RepositorySettingsSource
  now?: Date
  checks?: CheckRegistry
}

/** Runs a Plan with the real checks and a real workspace. */
export async function evaluate(plan: Plan, options: EvaluateOptions): Promise<Report> {
  const redactor = new Redactor(options.onSecret)
  for (const value of options.secrets ?? []) redactor.add(value)
  return runPlan(plan, {
    checks: options.checks ?? CHECKS,
    redactor,
    ...(options.concurrency !== undefined && { concurrency: options.concurrency }),
    ...(options.onProgress && { onProgress: options.onProgress }),
    ...(options.onPublishable && { onPublishable: options.onPublishable }),
    tool: { name: 'release-gates', version: toolVersion() },
    workspace: {
      cwd: options.cwd,
      env: options.env,
      exec,
      logger: options.logger,
      ...(options.github && { github: options.github }),
      ...(options.signoffs && { signoffs: options.signoffs }),
      ...(options.settings && { settings: options.settings }),
      secret: (value) => redactor.add(value),
      readPolicyFile: policyReader(options.cwd, options.readPolicy ?? readFromDisk),
      now: options.now ?? new Date()
    }
  })
}

/** Shard K of N of a plan (`shard: K/N`); gates that share a tool run stay together. */
export function planShard(plan: Plan, spec: ShardSpec, durations?: Durations): Plan {
  return shardPlan(plan, spec, durations, (gate) => CHECKS[gate.check]?.shareKey?.(gate))
}

/** Reads policy files by their path from the repository root, never outside it. */
export function policyReader(root: string, read: TextReader): (path: string) => Promise<string> {
  return (path) => read(resolveInside(root, path))
}

let version: string | undefined

/** This installation's version, from the package.json shipped beside gates/. */
export function toolVersion(): string {
  version ??= (
    JSON.parse(readFileSync(join(catalogDir(), '..', 'package.json'), 'utf8')) as {
      version: string
    }
  ).version
  return version
}
