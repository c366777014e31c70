import type { GitHubContext } from '../engine/types.js'

/** The run's GitHub context from the runner's environment; undefined outside Actions. */
export function contextFromEnv(env: NodeJS.ProcessEnv): GitHubContext | undefined {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_SHA) return undefined
  return {
    eventName: env.GITHUB_EVENT_NAME ?? 'unknown',
    sha: env.GITHUB_SHA,
    ...(env.GITHUB_REF && { ref: env.GITHUB_REF }),
    ...(env.GITHUB_REPOSITORY && { repository: env.GITHUB_REPOSITORY })
  }
}
