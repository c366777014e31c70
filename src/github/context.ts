import type { GitHubContext } from '../model/types.js'

/** The parts of an event payload the action reads. */
interface EventPayload {
  pull_request?: {
    number: number
    head: { sha: string; ref: string; repo?: { full_name?: string } | null }
    base: { sha: string; ref: string; repo?: { full_name?: string } | null }
  }
  workflow_run?: {
    head_sha: string
    head_branch?: string | null
    event?: string
    pull_requests?: Array<{ number: number }>
  }
  merge_group?: { head_sha: string; head_ref: string; base_sha: string; base_ref: string }
}

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment'
])

/**
 * The run's GitHub context from the runner's environment and event payload; undefined outside
 * GitHub Actions. `sha` is the commit check runs must be attached to: on pull requests the
 * PR's head (GITHUB_SHA is a merge commit no PR ever shows), on `workflow_run` the head of the
 * run that triggered it, on `merge_group` the queue's head; otherwise GITHUB_SHA.
 */
export function readGitHubContext(
  env: NodeJS.ProcessEnv,
  readEvent: (path: string) => unknown
): GitHubContext | undefined {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_SHA) return undefined
  const eventName = env.GITHUB_EVENT_NAME ?? 'unknown'
  let payload: EventPayload = {}
  if (env.GITHUB_EVENT_PATH) {
    try {
      payload = (readEvent(env.GITHUB_EVENT_PATH) as EventPayload | undefined) ?? {}
    } catch {
      payload = {}
    }
  }
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/')
  const serverUrl = env.GITHUB_SERVER_URL ?? 'https://github.com'
  const pr = PULL_REQUEST_EVENTS.has(eventName) ? payload.pull_request : undefined

  let sha = env.GITHUB_SHA
  if (pr) sha = pr.head.sha
  else if (eventName === 'workflow_run' && payload.workflow_run) sha = payload.workflow_run.head_sha
  else if (eventName === 'merge_group' && payload.merge_group) sha = payload.merge_group.head_sha

  return {
    eventName,
    sha,
    ...(env.GITHUB_REF && { ref: env.GITHUB_REF }),
    ...(owner && repo && { repository: `${owner}/${repo}`, owner, repo }),
    ...(pr && {
      pullRequest: {
        number: pr.number,
        headSha: pr.head.sha,
        headRef: pr.head.ref,
        baseSha: pr.base.sha,
        baseRef: pr.base.ref,
        fromFork: Boolean(
          pr.head.repo?.full_name &&
          pr.base.repo?.full_name &&
          pr.head.repo.full_name !== pr.base.repo.full_name
        )
      }
    }),
    ...(eventName === 'workflow_run' &&
      payload.workflow_run?.pull_requests?.[0] && {
        workflowRunPullRequest: payload.workflow_run.pull_requests[0].number
      }),
    ...(eventName === 'merge_group' &&
      payload.merge_group && { baseSha: payload.merge_group.base_sha }),
    ...(env.GITHUB_RUN_ID &&
      env.GITHUB_REPOSITORY && {
        runUrl: `${serverUrl}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      }),
    ...(env.GITHUB_WORKSPACE && { workspace: env.GITHUB_WORKSPACE })
  }
}
