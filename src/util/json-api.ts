import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'
import { sendRequest } from './http-request.js'
import type { HttpResponse } from './http-request.js'

export interface JsonApiOptions {
  /** What the API is called in messages: `OSV`, `the npm registry`. */
  name: string
  /** Per request. */
  timeoutMs: number
  /** Retries of a transient failure (5xx, 429, reset, timeout), with backoff. */
  retries: number
  retryDelayMs: number
  signal?: AbortSignal
  headers?: Record<string, string>
}

/** The API did not answer usably: the reason, ready for a gate's title. */
export class ApiUnavailable extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the API answered with one. */
    readonly status?: number
  ) {
    super(message)
  }
}

/** A failure worth another try: the next answer may be a real one. */
class Transient extends ApiUnavailable {}

// Connections reused across the many requests of one run (hundreds of packages, records).
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true })
}

/**
 * A JSON API request with retries of what may pass on another try, a deadline per request, and
 * every failure turned into an ApiUnavailable that says what happened (never a pass).
 */
export async function requestJson(
  url: string,
  options: JsonApiOptions,
  body?: unknown
): Promise<unknown> {
  const path = new URL(url).pathname
  let delay = options.retryDelayMs
  for (let attempt = 0; ; attempt++) {
    try {
      return await requestOnce(url, path, options, body)
    } catch (error) {
      if (!(error instanceof Transient) || attempt >= options.retries) {
        if (!(error instanceof ApiUnavailable)) throw error
        const attempts = attempt + 1
        throw new ApiUnavailable(
          `${error.message}${attempts > 1 ? ` (${attempts} attempts)` : ''}`,
          error.status
        )
      }
      await sleep(delay, undefined, { signal: options.signal })
      delay *= 2
    }
  }
}

async function requestOnce(
  url: string,
  path: string,
  options: JsonApiOptions,
  body?: unknown
): Promise<unknown> {
  const { name } = options
  // The socket's idle timeout catches a server that goes silent; this deadline one that trickles.
  const deadline = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline
  let response: HttpResponse
  try {
    response = await sendRequest(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: {
        accept: 'application/json',
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...options.headers
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      timeoutMs: options.timeoutMs,
      signal,
      maxBody: 256 * 1024 * 1024,
      agent: agents[new URL(url).protocol as 'http:' | 'https:'] ?? agents['https:']
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    if (deadline.aborted)
      throw new Transient(`${name} did not answer ${path} within ${options.timeoutMs} ms`)
    throw new Transient(`${name} request ${path} failed: ${(error as Error).message}`)
  }
  if (response.status >= 500 || response.status === 429)
    throw new Transient(`${name} answered ${path} with HTTP ${response.status}`, response.status)
  if (response.status < 200 || response.status >= 300)
    throw new ApiUnavailable(
      `${name} answered ${path} with HTTP ${response.status}`,
      response.status
    )
  if (response.truncated)
    throw new ApiUnavailable(`${name}'s answer to ${path} is larger than 256 MiB`)
  try {
    return JSON.parse(response.body) as unknown
  } catch {
    throw new ApiUnavailable(
      response.body.trim()
        ? `${name} answered ${path} with something that is not JSON`
        : `${name} answered ${path} with an empty body`
    )
  }
}
