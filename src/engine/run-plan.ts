import { availableParallelism } from 'node:os'
import pLimit from 'p-limit'
import type { Plan, PlannedGate, Waiver } from '../config/model.js'
import { formatDuration } from '../util/duration.js'
import { killTagged, RUN_TAG } from '../util/processes.js'
import type { Redactor } from '../util/redact.js'
import type { GateResult, ProgressEvent, Report } from '../model/report.js'
import { CONCLUSIONS, countConclusions, MET_CONCLUSIONS } from '../model/report.js'
import type { GitHubContext, Outcome, Workspace } from '../model/types.js'
import { applyFindingWaivers, applyGateWaivers } from './waivers.js'
import {
  acceptedFingerprints,
  annotationsOf,
  fingerprintFindings,
  judgeAgainstBaseline
} from './findings.js'
import type { BaselineCounts } from '../model/report.js'

/** A check proves one kind of checklist item: `(gate, workspace) => Outcome`. */
export type CheckFn = (gate: PlannedGate, workspace: Workspace) => Promise<Outcome>

/** A kind as its folder defines it (`checks/<kind>/index.ts`): its name and its definition. */
export interface KindDefinition extends CheckDefinition {
  name: string
  /** Every kind says whether it keeps a core busy or waits: the scheduler depends on it. */
  cpuBound: boolean
}

export interface CheckDefinition {
  run: CheckFn
  /**
   * Gates with the same key share one run of the tool (`workspace.shared`): a shard keeps them
   * together so the run happens once. Computed from the options alone, before anything runs.
   */
  shareKey?: (gate: PlannedGate) => string | undefined
  /**
   * Its gates find secrets as they run (not only ones known before): no other gate's result is
   * published until they are done, so each is redacted of what they found.
   */
  findsSecrets?: boolean
  /**
   * It runs a tool that keeps a core busy (tsc, eslint, tests, a scanner): it takes one of the
   * `concurrency` slots. A kind that mostly waits (on a server, the API, a sign-off) does not.
   */
  cpuBound?: boolean
  /** Its outcomes carry findings: a `baseline:` can judge them, waivers can name them. */
  reportsFindings?: boolean
  /**
   * The values a gate of this kind will treat as secret (the variables an `env` gate names, the
   * `${NAME}`s and credentials of an `http` gate's URL and headers), asked before any gate starts
   * so that no gate's output can carry them, whichever finishes first.
   */
  secretsOf?: (gate: PlannedGate, context: SecretsContext) => string[] | Promise<string[]>
  /** What the kind checks of its options when the gates file is validated. */
  checkOptions?: OptionCheck
}

/** A problem in a gate's options, at a path inside its `with`. */
export interface OptionProblem {
  path: Array<string | number>
  message: string
}

/**
 * Checks a kind's options beyond what the schema says (a glob that cannot match, a URL that
 * cannot be requested, a rules file that is not one), when the gates file is validated.
 * `read` reads repository files as the gates file is read (at the base commit with config-ref).
 */
export type OptionCheck = (
  options: Record<string, unknown>,
  context: { cwd: string; read: (absolutePath: string) => Promise<string> }
) => OptionProblem[] | Promise<OptionProblem[]>

export interface SecretsContext {
  cwd: string
  env: NodeJS.ProcessEnv
}

export type CheckRegistry = Readonly<Record<string, CheckDefinition>>

export type { ProgressEvent } from '../model/report.js'

export interface RunOptions {
  checks: CheckRegistry
  /** Everything a check gets but its abort signal, which is made per gate. */
  workspace: Omit<Workspace, 'signal'>
  redactor: Redactor
  /** CPU-bound gates evaluated at once; default the CPU count. */
  concurrency?: number
  /** Waiting gates (http, tls, sign-offs, settings) evaluated at once; default 64. */
  waitingConcurrency?: number
  onProgress?: (event: ProgressEvent) => void
  /**
   * A gate's result, final and safe to publish: redacted of every secret any gate can still
   * find. Results wait here while a gate that finds secrets runs, then come in finishing order.
   */
  onPublishable?: (result: GateResult) => void
  tool?: { name: string; version: string }
  /** How long a timed-out gate's processes get to die before the result is reported. */
  killSettleMs?: number
}

/**
 * Evaluates every gate of a plan concurrently and turns what happened into a Report.
 * Nothing passes by default: a check that throws, returns nonsense or runs out of time fails.
 */
export async function runPlan(plan: Plan, options: RunOptions): Promise<Report> {
  const startedAt = new Date()
  await registerPlannedSecrets(plan, options)
  const redactor = options.redactor
  const logger = options.workspace.logger
  const runs = new Map<string, Promise<unknown>>()
  options = {
    ...options,
    workspace: {
      ...options.workspace,
      shared: <T>(key: string, compute: () => Promise<T>): Promise<T> => {
        if (!runs.has(key)) runs.set(key, compute())
        return runs.get(key) as Promise<T>
      },
      logger: {
        info: (message) => logger.info(redactor.redact(message)),
        warning: (message) => logger.warning(redactor.redact(message)),
        debug: (message) => logger.debug(redactor.redact(message))
      }
    }
  }
  // Two limits: a core per CPU-bound gate, and a bound on open sockets for the waiting ones.
  // A gate waits for what it needs before it takes a slot, so `needs` cannot deadlock them.
  const cpuSlots = pLimit(Math.max(1, options.concurrency ?? availableParallelism()))
  const waitingSlots = pLimit(
    Math.max(1, options.waitingConcurrency ?? DEFAULT_WAITING_CONCURRENCY)
  )
  const results: GateResult[] = new Array(plan.gates.length)
  const indexById = new Map(plan.gates.map((gate, index) => [gate.id, index]))
  // Settles when a gate is done; `needs` wait on these (the plan lists needed gates first).
  const finished = new Map<string, { promise: Promise<void>; resolve: () => void }>()
  for (const gate of plan.gates) {
    let resolve!: () => void
    finished.set(gate.id, { promise: new Promise<void>((done) => (resolve = done)), resolve })
  }
  let done = 0
  // Gates still to finish that may find secrets, and the results held until they have.
  const finders = new Set(
    plan.gates
      .filter((gate) => gate.enabled && options.checks[gate.check]?.findsSecrets)
      .map((gate) => gate.id)
  )
  const held: GateResult[] = []
  const publishable = (gate: PlannedGate, result: GateResult) => {
    if (!options.onPublishable) return
    finders.delete(gate.id)
    held.push(result)
    if (finders.size) return
    for (const ready of held.splice(0)) options.onPublishable(redactor.redactDeep(ready))
  }

  const runGate = async (gate: PlannedGate, index: number): Promise<void> => {
    await Promise.all([...gate.needs, ...gate.after].map((id) => finished.get(id)?.promise))
    const unmet = gate.enabled
      ? unmetNeed(gate, (id) => {
          const index = indexById.get(id)
          return index === undefined ? undefined : results[index]
        })
      : undefined
    // Finished inside its slot: the next gate starts only once this one has been reported.
    const evaluate = async () => {
      if (gate.enabled && !unmet) options.onProgress?.({ type: 'start', gate })
      // Redacted with what is known now for progress; the Report is redacted again whole.
      const result = redactor.redactDeep(await evaluateGate(gate, options, unmet))
      results[index] = result
      finished.get(gate.id)!.resolve()
      options.onProgress?.({ type: 'finish', result, done: ++done, total: plan.gates.length })
      publishable(gate, result)
    }
    // A gate that will not run (switched off, an unmet need) takes no slot.
    if (!gate.enabled || unmet) await evaluate()
    else await (options.checks[gate.check]?.cpuBound ? cpuSlots : waitingSlots)(evaluate)
  }
  await Promise.all(plan.gates.map(runGate))

  const failedGates = results.filter((result) => result.blocking).map((result) => result.id)
  // Every secret is known now (a secrets gate's findings too): nobody reads an unredacted Report.
  return redactor.redactDeep({
    tool: options.tool ?? { name: 'release-gates', version: '0.0.0' },
    file: plan.file,
    ...(plan.extends && { extends: plan.extends }),
    ...(plan.environment !== undefined && { environment: plan.environment }),
    stage: plan.stage,
    ...(plan.shard && { shard: plan.shard }),
    ...(options.workspace.github && { github: evidenceOf(options.workspace.github) }),
    startedAt: startedAt.toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    result: failedGates.length > 0 ? 'failed' : 'passed',
    counts: countConclusions(results),
    failedGates,
    gates: results
  } satisfies Report)
}

/** Registers what every enabled gate will treat as secret, before the first gate starts. */
async function registerPlannedSecrets(plan: Plan, options: RunOptions): Promise<void> {
  const context = { cwd: options.workspace.cwd, env: options.workspace.env }
  for (const gate of plan.gates) {
    const secretsOf = gate.enabled ? options.checks[gate.check]?.secretsOf : undefined
    if (!secretsOf) continue
    try {
      for (const value of await secretsOf(gate, context)) options.redactor.add(value)
    } catch {
      // The gate itself will fail on what could not be read; it has no value to show.
    }
  }
}

/**
 * Why a gate cannot be evaluated because of what it needs: a needed gate that is unmet, did not
 * run, or is not in this plan. Its output (a coverage report, a build) would be stale or absent,
 * and judging it anyway is how a coverage gate passed at 100 % on a run whose suites all failed.
 */
function unmetNeed(
  gate: PlannedGate,
  resultOf: (id: string) => GateResult | undefined
): Outcome | undefined {
  for (const id of gate.needs) {
    const needed = resultOf(id)
    const why = !needed
      ? 'which is not in this plan (its environment, stage or --only left it out)'
      : needed.conclusion === 'skipped'
        ? `which did not run (${needed.title})`
        : needed.waiver
          ? `which ${describeConclusion(needed.waiver.original)} (waived, but what it produces cannot be trusted)`
          : needed.met
            ? undefined
            : `which ${describeConclusion(needed.conclusion)}`
    if (why)
      return {
        conclusion: 'failure',
        title: `Not evaluated: needs ${id}, ${why}`,
        summary: `This gate depends on \`${id}\` (\`needs\`), ${why}, so it was not evaluated: what it would read is stale or missing. Fix \`${id}\` first; to run after a gate without depending on it, use \`after\`.`,
        annotations: []
      }
  }
  return undefined
}

function describeConclusion(conclusion: string): string {
  return conclusion === 'timed_out'
    ? 'timed out'
    : conclusion === 'action_required'
      ? 'is waiting for a sign-off'
      : 'failed'
}

async function evaluateGate(
  gate: PlannedGate,
  options: RunOptions,
  unmet?: Outcome
): Promise<GateResult> {
  const startedAt = new Date()
  const started = performance.now()
  const outcome = unmet
    ? unmet
    : gate.enabled
      ? await runWithTimeout(gate, options)
      : {
          conclusion: 'skipped' as const,
          title: gate.disabledReason ?? 'switched off',
          summary: '',
          annotations: []
        }
  const judged = await judgeFindings(gate, outcome, options.workspace)
  const verdict = applyGateWaivers(gate, judged.outcome, options.workspace.now)
  const expiredWaivers = [...judged.expired, ...verdict.expired]
  const met = MET_CONCLUSIONS.has(verdict.outcome.conclusion)
  return {
    ...verdict.outcome,
    id: gate.id,
    name: gate.name,
    ...(gate.section !== undefined && { section: gate.section }),
    check: gate.check,
    required: gate.required,
    met,
    blocking: gate.required && !met,
    startedAt: startedAt.toISOString(),
    completedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - started),
    ...(verdict.waiver && { waiver: verdict.waiver }),
    ...(judged.baseline && { baseline: judged.baseline }),
    expiredWaivers,
    ...(judged.unused.length && { unusedWaivers: judged.unused }),
    location: gate.location
  }
}

export interface JudgedFindings {
  outcome: Outcome
  baseline?: BaselineCounts
  /** Finding waivers past their date, and those in force that matched nothing. */
  expired: Waiver[]
  unused: Waiver[]
}

/**
 * Findings become data every reader shares: each gets its fingerprint, the gate's finding
 * waivers take out what they cover, the gate's baseline (when it has one) judges the new ones,
 * and their annotations join the check's own.
 */
export async function judgeFindings(
  gate: PlannedGate,
  outcome: Outcome,
  workspace: Pick<RunOptions['workspace'], 'cwd' | 'now' | 'readPolicyFile'>
): Promise<JudgedFindings> {
  // `describe` is the check's, for the waivers below: no reader gets a function.
  const withoutDescribe = ({ describe: _describe, ...data }: Outcome): Outcome => data
  if (!outcome.findings) return { outcome: withoutDescribe(outcome), expired: [], unused: [] }
  const { expired, unused, ...waivers } = applyFindingWaivers(
    gate,
    {
      ...outcome,
      findings: await fingerprintFindings(gate.check, outcome.findings, workspace.cwd)
    },
    workspace.now
  )
  let judged = withoutDescribe(waivers.outcome)
  let baseline: BaselineCounts | undefined
  if (gate.baseline) {
    let accepted: Set<string>
    try {
      accepted = acceptedFingerprints(
        await workspace.readPolicyFile(gate.baseline),
        gate.id,
        gate.baseline
      )
    } catch (error) {
      const why =
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? `the baseline ${gate.baseline} does not exist (release-gates baseline writes it)`
          : (error as Error).message
      return {
        outcome: {
          ...failed(`Cannot judge against the baseline: ${why}`),
          findings: judged.findings!,
          annotations: [...judged.annotations, ...annotationsOf(judged.findings!)]
        },
        expired,
        unused
      }
    }
    const result = judgeAgainstBaseline(judged, accepted, gate.baseline)
    judged = result.outcome
    baseline = result.counts
  }
  return {
    outcome: {
      ...judged,
      annotations: [...judged.annotations, ...annotationsOf(judged.findings!)]
    },
    ...(baseline && { baseline }),
    expired,
    unused
  }
}

/** Enough for hundreds of http gates without holding hundreds of sockets at once. */
export const DEFAULT_WAITING_CONCURRENCY = 64

let gateCount = 0

async function runWithTimeout(gate: PlannedGate, options: RunOptions): Promise<Outcome> {
  const check = options.checks[gate.check]
  if (!check) return failed(`Cannot evaluate: no check kind '${gate.check}' is registered`)
  const controller = new AbortController()
  // Every process the gate starts carries its tag: what outlives the gate is found and killed.
  const tag = `${RUN_TAG}-${gateCount++}`
  const exec = options.workspace.exec
  const workspace: Workspace = {
    ...options.workspace,
    signal: controller.signal,
    exec: (command, execOptions) => exec(command, { tag, ...execOptions })
  }
  const running = Promise.resolve()
    .then(() => check.run(gate, workspace))
    .then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error })
    )
    .finally(() => killTagged(`${tag}/`))
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), gate.timeoutMs)
  })
  const first = await Promise.race([running, timeout])
  clearTimeout(timer)

  if (first === 'timeout') {
    controller.abort()
    // exec kills the process group on abort; wait for that so nothing outlives the report.
    let settle: NodeJS.Timeout | undefined
    const settled = await Promise.race([
      running,
      new Promise<'unsettled'>(
        (resolve) => (settle = setTimeout(() => resolve('unsettled'), options.killSettleMs ?? 5000))
      )
    ])
    clearTimeout(settle)
    killTagged(`${tag}/`)
    // What the check saw before its processes were killed (the output's tail, the tests that
    // ran): kept under the timeout's verdict, never taken for a pass.
    const partial =
      settled !== 'unsettled' && 'outcome' in settled ? checkedOutcome(settled.outcome) : undefined
    const why = `The gate did not finish within its timeout of ${formatDuration(gate.timeoutMs)}; its processes were killed. Raise \`timeout\` on the gate if this is expected.`
    return {
      conclusion: 'timed_out',
      title: `Timed out after ${formatDuration(gate.timeoutMs)}`,
      summary: partial?.summary ? `${why}\n\nWhat it had done by then:\n\n${partial.summary}` : why,
      annotations: partial?.annotations ?? []
    }
  }
  if ('error' in first) {
    const message = first.error instanceof Error ? first.error.message : String(first.error)
    return failed(`Cannot evaluate: ${message}`)
  }
  return checkedOutcome(first.outcome)
}

function evidenceOf(github: GitHubContext): NonNullable<Report['github']> {
  const { eventName, sha, ref, repository, runUrl } = github
  return {
    eventName,
    sha,
    ...(ref && { ref }),
    ...(repository && { repository }),
    ...(runUrl && { runUrl })
  }
}

/** A check is code too: an outcome that is not one can never count as a pass. */
function checkedOutcome(outcome: unknown): Outcome {
  const candidate = outcome as Partial<Outcome> | undefined
  if (
    !candidate ||
    typeof candidate.conclusion !== 'string' ||
    !CONCLUSIONS.has(candidate.conclusion)
  ) {
    return failed('Cannot evaluate: the check returned no valid conclusion')
  }
  return {
    conclusion: candidate.conclusion,
    title:
      typeof candidate.title === 'string' && candidate.title
        ? candidate.title
        : candidate.conclusion,
    summary: typeof candidate.summary === 'string' ? candidate.summary : '',
    annotations: Array.isArray(candidate.annotations) ? candidate.annotations : [],
    ...(Array.isArray(candidate.findings) && { findings: candidate.findings }),
    ...(candidate.decidedByFindings === true && { decidedByFindings: true }),
    ...(typeof candidate.describe === 'function' && { describe: candidate.describe }),
    ...(candidate.evidence &&
      typeof candidate.evidence === 'object' && { evidence: candidate.evidence })
  }
}

function failed(title: string): Outcome {
  return { conclusion: 'failure', title, summary: title, annotations: [] }
}
