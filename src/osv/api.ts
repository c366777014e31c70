import { setTimeout as sleep } from 'node:timers/promises'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import pLimit from 'p-limit'
import { sendRequest } from '../checks/http/request.js'
import type { HttpResponse } from '../checks/http/request.js'
import type { Ecosystem } from '../dependencies/model.js'
import type { OsvRecord } from './record.js'
import { isOsvRecord } from './record.js'

export interface OsvQuery {
  ecosystem: Ecosystem
  name: string
  version: string
}

export interface OsvApiOptions {
  /** `https://api.osv.dev` or a mirror serving the same API. */
  baseUrl: string
  /** Per request. */
  timeoutMs: number
  /** Retries of a transient failure (5xx, 429, reset, timeout), with backoff. */
  retries: number
  retryDelayMs: number
  /** Queries per querybatch request (OSV takes at most 1000). */
  batchSize: number
  signal?: AbortSignal
}

/** The API could not say: the reason, for the gate's title. No answer is never "no vulnerabilities". */
export class OsvUnavailable extends Error {}

/** A failure worth another try: the next answer may be a real one. */
class Transient extends OsvUnavailable {}

/** How many pages of one query are followed before the API is judged to be looping. */
const MAX_PAGES = 50

/**
 * Asks OSV which records affect each query (`/v1/querybatch`, following each query's
 * `next_page_token`), then fetches each record once (`/v1/vulns/{id}`). Any failure after the
 * retries throws OsvUnavailable with the reason.
 */
export async function queryOsvApi(
  queries: OsvQuery[],
  options: OsvApiOptions
): Promise<{ ids: string[][]; records: Map<string, OsvRecord>; requests: number }> {
  let requests = 0
  const call = async (path: string, body?: unknown): Promise<unknown> => {
    let delay = options.retryDelayMs
    for (let attempt = 0; ; attempt++) {
      try {
        requests++
        return await request(options, path, body)
      } catch (error) {
        if (!(error instanceof Transient) || attempt >= options.retries) {
          const attempts = attempt + 1
          throw new OsvUnavailable(
            `${(error as Error).message}${attempts > 1 ? ` (${attempts} attempts)` : ''}`
          )
        }
        await sleep(delay, undefined, { signal: options.signal })
        delay *= 2
      }
    }
  }
  const ids: string[][] = queries.map(() => [])
  for (let start = 0; start < queries.length; start += options.batchSize) {
    let pending = queries.slice(start, start + options.batchSize).map((query, offset) => ({
      index: start + offset,
      query,
      token: undefined as string | undefined
    }))
    for (let page = 0; pending.length; page++) {
      if (page >= MAX_PAGES)
        throw new OsvUnavailable(`OSV kept paginating after ${MAX_PAGES} pages of one query`)
      const answer = await call('/v1/querybatch', {
        queries: pending.map(({ query, token }) => ({
          package: { ecosystem: query.ecosystem, name: query.name },
          version: query.version,
          ...(token && { page_token: token })
        }))
      })
      const results = batchResults(answer, pending.length)
      const next: typeof pending = []
      results.forEach((result, offset) => {
        const item = pending[offset]!
        ids[item.index]!.push(...result.ids)
        if (result.nextPageToken) next.push({ ...item, token: result.nextPageToken })
      })
      pending = next
    }
  }
  const unique = [...new Set(ids.flat())]
  const limit = pLimit(8)
  const records = new Map<string, OsvRecord>()
  await Promise.all(
    unique.map((id) =>
      limit(async () => {
        const record = await call(`/v1/vulns/${encodeURIComponent(id)}`)
        if (!isOsvRecord(record) || record.id !== id)
          throw new OsvUnavailable(
            `OSV answered /v1/vulns/${id} with something that is not its record`
          )
        records.set(id, record)
      })
    )
  )
  for (const list of ids) list.splice(0, list.length, ...new Set(list))
  return { ids, records, requests }
}

/** A querybatch answer's results, one per query, or why it is not one. */
export function batchResults(
  answer: unknown,
  expected: number
): Array<{ ids: string[]; nextPageToken?: string }> {
  const results = (answer as { results?: unknown } | null)?.results
  if (!Array.isArray(results))
    throw new OsvUnavailable('OSV answered querybatch without a results list')
  if (results.length !== expected)
    throw new OsvUnavailable(
      `OSV answered ${results.length} results for ${expected} queries: the answer cannot be matched to the dependencies`
    )
  return results.map((result: unknown, index) => {
    const { vulns, next_page_token: token } = (result ?? {}) as {
      vulns?: unknown
      next_page_token?: unknown
    }
    if (
      typeof result !== 'object' ||
      result === null ||
      (vulns !== undefined &&
        (!Array.isArray(vulns) ||
          !vulns.every((vuln) => typeof (vuln as { id?: unknown })?.id === 'string'))) ||
      (token !== undefined && typeof token !== 'string')
    )
      throw new OsvUnavailable(
        `OSV's querybatch result ${index + 1} is not a list of vulnerability ids`
      )
    return {
      ids: ((vulns as Array<{ id: string }> | undefined) ?? []).map((vuln) => vuln.id),
      ...(token && { nextPageToken: token as string })
    }
  })
}

const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true })
}

async function request(options: OsvApiOptions, path: string, body?: unknown): Promise<unknown> {
  const url = `${options.baseUrl.replace(/\/+$/, '')}${path}`
  // The socket's idle timeout catches a server that goes silent; this deadline one that trickles.
  const deadline = AbortSignal.timeout(options.timeoutMs)
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline
  let response: HttpResponse
  try {
    response = await sendRequest(url, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      timeoutMs: options.timeoutMs,
      signal,
      maxBody: 256 * 1024 * 1024,
      agent: agents[new URL(url).protocol as 'http:' | 'https:'] ?? agents['https:']
    })
  } catch (error) {
    if (options.signal?.aborted) throw error
    if (deadline.aborted)
      throw new Transient(`OSV did not answer ${path} within ${options.timeoutMs} ms`)
    throw new Transient(`OSV request ${path} failed: ${(error as Error).message}`)
  }
  if (response.status >= 500 || response.status === 429)
    throw new Transient(`OSV answered ${path} with HTTP ${response.status}`)
  if (response.status < 200 || response.status >= 300)
    throw new OsvUnavailable(`OSV answered ${path} with HTTP ${response.status}`)
  if (response.truncated) throw new OsvUnavailable(`OSV's answer to ${path} is larger than 256 MiB`)
  try {
    return JSON.parse(response.body) as unknown
  } catch {
    throw new OsvUnavailable(
      response.body.trim()
        ? `OSV answered ${path} with something that is not JSON`
        : `OSV answered ${path} with an empty body`
    )
  }
}
