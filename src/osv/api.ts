import pLimit from 'p-limit'
import { ApiUnavailable, requestJson } from '../util/json-api.js'
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
export class OsvUnavailable extends ApiUnavailable {}

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
  const api = {
    name: 'OSV',
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    retryDelayMs: options.retryDelayMs,
    ...(options.signal && { signal: options.signal })
  }
  const call = async (path: string, body?: unknown): Promise<unknown> => {
    requests++
    try {
      return await requestJson(`${options.baseUrl.replace(/\/+$/, '')}${path}`, api, body)
    } catch (error) {
      throw error instanceof ApiUnavailable && !(error instanceof OsvUnavailable)
        ? new OsvUnavailable(error.message, error.status)
        : error
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
