import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../engine/types.js'

export type GitHubClient = ReturnType<typeof getOctokit>

/** Retries per request for rate limits (primary and secondary) before giving up. */
const RATE_LIMIT_RETRIES = 3

/**
 * Octokit as the runner needs it: GITHUB_API_URL and proxies honoured (getOctokit), 5xx and
 * network errors retried with backoff, primary and secondary rate limits waited out as GitHub
 * asks (`retry-after`), writes spaced a second apart as GitHub's best practices require.
 */
export function createGitHubClient(token: string, logger: Logger): GitHubClient {
  return getOctokit(
    token,
    {
      throttle: {
        onRateLimit: retryAfterWaiting('rate limit', logger),
        onSecondaryRateLimit: retryAfterWaiting('secondary rate limit', logger)
      },
      retry: { retries: 3 }
    },
    retry,
    throttling
  )
}

/** A throttling handler: log the wait, and retry until RATE_LIMIT_RETRIES is used up. */
function retryAfterWaiting(limit: string, logger: Logger) {
  return (
    retryAfter: number,
    options: { method: string; url: string },
    _octokit: unknown,
    retryCount: number
  ): boolean => {
    logger.warning(
      `GitHub ${limit} on ${options.method} ${options.url}; retrying in ${retryAfter}s`
    )
    return retryCount < RATE_LIMIT_RETRIES
  }
}
