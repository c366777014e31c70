import type { CheckRunPlan, PlannedCheckRun } from '../report/check-runs.js'
import { annotationBatches } from '../report/check-runs.js'
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
  for (const run of plan.runs) {
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
  return result
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
