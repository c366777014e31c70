import type { GateResult, Report } from '../model/report.js'
import type { CheckRunOptions, CheckRunPlan, PlannedCheckRun } from '../report/check-runs.js'
import {
  annotationBatches,
  checkRunsToWrite,
  gateRun,
  planCheckRuns
} from '../report/check-runs.js'
import type { GitHubClient } from './octokit.js'

export interface CheckRunTarget {
  owner: string
  repo: string
  headSha: string
  /** Link for action_required runs (ignored by GitHub for GITHUB_TOKEN, harmless otherwise). */
  detailsUrl?: string
}

/** The token may not write checks: fork PRs, Dependabot, a workflow without `checks: write`. */
export class ChecksPermissionError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
    this.name = 'ChecksPermissionError'
  }
}

export interface WriteResult {
  created: Array<{ name: string; id: number; url?: string }>
  requests: number
}

/**
 * Writes each planned check run once, already completed: a create carrying the first 50
 * annotations, then one update per further 50 (GitHub appends them). Stops at the first
 * permission error, which the caller turns into the job-summary fallback.
 */
export async function writeCheckRuns(
  octokit: GitHubClient,
  target: CheckRunTarget,
  plan: CheckRunPlan
): Promise<WriteResult> {
  const result: WriteResult = { created: [], requests: 0 }
  for (const run of plan.runs) await writeCheckRun(octokit, target, run, result)
  return result
}

/** One check run: its create, then an update per further 50 annotations. */
async function writeCheckRun(
  octokit: GitHubClient,
  target: CheckRunTarget,
  run: PlannedCheckRun,
  result: WriteResult
): Promise<void> {
  const [first = [], ...rest] = annotationBatches(run.annotations)
  const output = { title: run.title, summary: run.summary, ...(run.text && { text: run.text }) }
  const created = await call(() =>
    octokit.rest.checks.create({
      owner: target.owner,
      repo: target.repo,
      head_sha: target.headSha,
      name: run.name,
      status: 'completed',
      conclusion: run.conclusion,
      started_at: run.startedAt,
      completed_at: run.completedAt,
      ...(target.detailsUrl && { details_url: target.detailsUrl }),
      external_id: externalId(run),
      output: { ...output, ...(first.length && { annotations: first }) }
    })
  )
  result.requests++
  result.created.push({
    name: run.name,
    id: created.data.id,
    ...(created.data.html_url && { url: created.data.html_url })
  })
  for (const batch of rest) {
    await call(() =>
      octokit.rest.checks.update({
        owner: target.owner,
        repo: target.repo,
        check_run_id: created.data.id,
        output: { ...output, annotations: batch }
      })
    )
    result.requests++
  }
}

/** Check runs written while the gates are still being evaluated. */
export interface CheckRunStream {
  /** A gate's final, redacted result: its check run is queued at once. */
  add(result: GateResult): void
  /**
   * Waits for the queued writes, writes what is left (every run, when the plan is grouped by
   * section) and the overall check last. Rejects with the first write error.
   */
  finish(report: Report): Promise<WriteResult & { streamed: number }>
}

/**
 * Streams one check run per gate as each gate finishes, in one queue (GitHub asks for
 * content-creating requests one at a time, a second apart: the client spaces them), so writing
 * overlaps evaluation instead of following it. A plan with more gates than `maxCheckRuns` is
 * grouped by section and written whole at the end. After a failed write nothing more is
 * written: `finish` rejects with that error, and the caller falls back to annotations.
 */
export function streamCheckRuns(
  octokit: GitHubClient,
  target: CheckRunTarget,
  options: CheckRunOptions,
  gateCount: number
): CheckRunStream {
  const result: WriteResult = { created: [], requests: 0 }
  const grouped = gateCount > options.maxCheckRuns
  const written = new Set<string>()
  let queue: Promise<void> = Promise.resolve()
  let failure: unknown
  return {
    add(gate) {
      if (grouped) return
      queue = queue.then(async () => {
        if (failure !== undefined) return
        try {
          await writeCheckRun(octokit, target, gateRun(gate, options), result)
          written.add(gate.id)
        } catch (error) {
          failure = error
        }
      })
    },
    async finish(report) {
      await queue
      if (failure !== undefined) throw failure
      const streamed = written.size
      const plan = planCheckRuns(report, options)
      for (const run of checkRunsToWrite(plan, report))
        if (plan.grouped || !run.gateIds.every((id) => written.has(id)) || run === plan.runs[0])
          await writeCheckRun(octokit, target, run, result)
      return { ...result, streamed }
    }
  }
}

/** Ties a check run to its gates, so later tooling (and people) can find them by id. */
function externalId(run: PlannedCheckRun): string {
  const ids = run.gateIds.length === 1 ? run.gateIds[0]! : `${run.gateIds.length} gates`
  return `release-gates:${ids}`.slice(0, 255)
}

async function call<T>(request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    const status = (error as { status?: number }).status
    const message = (error as Error).message
    // 403 without a rate-limit cause (those were retried by the throttling plugin), or 404 for
    // a token that cannot see the repository's checks.
    if ((status === 403 && !/rate limit/i.test(message)) || status === 404)
      throw new ChecksPermissionError(status, message)
    throw error
  }
}
