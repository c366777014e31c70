import { getOctokit } from '@actions/github'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import type { Logger } from '../model/types.js'

export type GitHubClient = ReturnType<typeof getOctokit>

/** Retries per request for rate limits (primary and secondary) before giving up. */
const RATE_LIMIT_RETRIES = 3
/** Retries of a request that failed with a 5xx, a network error or no answer in time. */
const RETRIES = 3
/** How long one attempt may take before it counts as failed (and is retried like a 5xx). */
export const DEFAULT_API_TIMEOUT_MS = 30_000

export interface ClientOptions {
  /** Per attempt: an API that accepts the connection and never answers must not hang the run. */
  timeoutMs?: number
  /** The API's address, when not the runner's GITHUB_API_URL (read once, at load, by getOctokit). */
  baseUrl?: string
}

/**
 * Octokit as the runner needs it: GITHUB_API_URL and proxies honoured (getOctokit), 5xx and
 * network errors retried with backoff, primary and secondary rate limits waited out as GitHub
 * asks (`retry-after`), writes spaced a second apart as GitHub's best practices require.
 * Every attempt has a timeout: one that gets no answer in time fails like a 5xx (octokit wraps
 * the fetch's TimeoutError as a status-500 RequestError) and is retried, then given up.
 */
export function createGitHubClient(
  token: string,
  logger: Logger,
  options: ClientOptions = {}
): GitHubClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_API_TIMEOUT_MS
  const timedFetch: typeof fetch = (url, init = {}) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    return globalThis.fetch(url, { ...init, signal })
  }
  return getOctokit(
    token,
    {
      request: { fetch: timedFetch },
      ...(options.baseUrl && { baseUrl: options.baseUrl }),
      throttle: {
        onRateLimit: retryAfterWaiting('rate limit', logger),
        onSecondaryRateLimit: retryAfterWaiting('secondary rate limit', logger)
      },
      // Backoff of 1 s, 4 s, 9 s; shorter when the timeout is (a few seconds in tests).
      retry: { retries: RETRIES, retryAfterBaseValue: Math.min(1000, timeoutMs / 10) }
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
