import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { HttpOptions } from '../../config/generated/options.js'

export type { HttpOptions }
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import type { PlannedGate } from '../../config/model.js'
import type { SecretsContext } from '../../engine/run-plan.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { formatDuration, parseDuration } from '../../util/duration.js'
import { plural } from '../../util/text.js'
import { displayUrl, isSecretHeader, urlSecrets } from '../../util/url.js'
import { describeFailure, renderAssertions } from '../shared/assertions.js'
import type { Assertion } from '../shared/assertions.js'
import { SECURITY_FORBIDDEN, SECURITY_HEADERS, checkHeaders } from './headers.js'
import {
  describeStatus,
  expandEnv,
  jsonEquals,
  percentile,
  statusMatches,
  valueAtPath
} from './expect.js'
import { sendRequest } from '../../util/http-request.js'
import type { HttpResponse, RequestOptions } from '../../util/http-request.js'
import { resolveInside } from '../shared/paths.js'

const MAX_REDIRECTS = 10
const FOREIGN_ORIGIN = 'https://release-gates.invalid'
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

interface UrlVerdict {
  url: string
  assertions: Assertion[]
  attempts: number
  final?: HttpResponse
}

/**
 * What an http gate will send that must never be shown: every `${NAME}` value of its URLs and
 * request headers, the password and secret-named query values of each URL, and the values of
 * credential headers (`Authorization: Bearer …`), known before any gate starts.
 */
export function httpSecrets(gate: PlannedGate, context: SecretsContext): string[] {
  const options = optionsOf(gate, 'http')
  const values: string[] = []
  const collect = (value: string) => values.push(value)
  for (const [name, template] of Object.entries(options['request-headers'] ?? {})) {
    const { text } = expandEnv(template, context.env, collect)
    // `Bearer abc…`: the credential is what follows the scheme, shown as `Bearer ***`.
    if (isSecretHeader(name)) values.push(text.replace(/^\s*(bearer|basic|token|digest)\s+/i, ''))
  }
  for (const template of [options.url].flat()) {
    const { text } = expandEnv(template, context.env, collect)
    values.push(...urlSecrets(text))
  }
  if (typeof options['https-redirect'] === 'string')
    values.push(...urlSecrets(options['https-redirect']))
  return values
}

/**
 * A deployed URL answers as expected: status, body, headers, redirects, CORS, latency. Retries
 * with backoff while a fresh deploy settles; every failure says what was expected and what
 * came back.
 */
export async function httpCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'http')
  const missing = new Set<string>()
  const mask = (value: string) => workspace.secret(value)
  const requestHeaders: Record<string, string> = {}
  for (const [name, template] of Object.entries(options['request-headers'] ?? {})) {
    const expanded = expandEnv(template, workspace.env, mask)
    expanded.missing.forEach((variable) => missing.add(variable))
    requestHeaders[name] = expanded.text
  }
  const urls = [options.url].flat().map((template) => {
    const expanded = expandEnv(template, workspace.env)
    expanded.missing.forEach((variable) => missing.add(variable))
    return expanded.text
  })
  if (missing.size)
    return {
      conclusion: 'failure',
      title: `Cannot send the request: ${[...missing].join(', ')} not set`,
      summary: `The gate's URL or request headers use ${[...missing].map((name) => `\`\${${name}}\``).join(', ')}, which the environment does not set, so no request was sent.`,
      annotations: []
    }
  const requestOptions: RequestOptions = {
    ...(options.method && { method: options.method }),
    headers: requestHeaders,
    timeoutMs: parseDuration(options.timeout ?? '10s'),
    signal: workspace.signal,
    ...(options['ca-file'] && {
      ca: await readFile(resolveInside(workspace.cwd, options['ca-file']), 'utf8')
    })
  }

  const verdicts: UrlVerdict[] = []
  for (const url of urls)
    verdicts.push(await checkWithRetries(url, options, requestOptions, workspace))

  const failedUrls = verdicts.filter((verdict) => verdict.assertions.some((item) => !item.ok))
  const firstFailure = failedUrls[0]?.assertions.find((item) => !item.ok)
  const checks = verdicts.reduce((total, verdict) => total + verdict.assertions.length, 0)
  return {
    conclusion: failedUrls.length ? 'failure' : 'success',
    title: firstFailure
      ? `${displayUrl(failedUrls[0]!.url)}: ${describeFailure(firstFailure)}${failedUrls.length > 1 ? ` (and ${plural(failedUrls.length - 1, 'more URL')})` : ''}`
      : `${verdicts.length === 1 ? displayUrl(verdicts[0]!.url) : plural(verdicts.length, 'URL')}: all ${plural(checks, 'check')} passed`,
    summary: verdicts.map(renderVerdict).join('\n\n'),
    annotations: []
  }
}

async function checkWithRetries(
  url: string,
  options: HttpOptions,
  requestOptions: RequestOptions,
  workspace: Workspace
): Promise<UrlVerdict> {
  const retries = options.retries ?? 0
  const firstDelay = parseDuration(options['retry-delay'] ?? '2s')
  let verdict: UrlVerdict = { url, assertions: [], attempts: 0 }
  for (let attempt = 1; attempt <= retries + 1; attempt++) {
    verdict = { ...(await checkUrl(url, options, requestOptions)), attempts: attempt }
    if (verdict.assertions.every((item) => item.ok) || attempt > retries) break
    const delay = Math.min(firstDelay * 2 ** (attempt - 1), 60_000)
    workspace.logger.info(
      `${displayUrl(url)}: ${describeFailure(verdict.assertions.find((item) => !item.ok)!)}; retrying in ${formatDuration(delay)} (attempt ${attempt + 1} of ${retries + 1})`
    )
    await sleep(delay, undefined, { signal: workspace.signal })
  }
  return verdict
}

/** Every assertion about one URL, from one round of requests. */
async function checkUrl(
  url: string,
  options: HttpOptions,
  requestOptions: RequestOptions
): Promise<Omit<UrlVerdict, 'attempts'>> {
  const assertions: Assertion[] = []
  let chain: HttpResponse[]
  try {
    chain = await fetchFollowing(url, requestOptions, options.redirects !== 'forbid')
  } catch (error) {
    return {
      url,
      assertions: [
        { what: 'response', expected: 'an HTTP response', got: (error as Error).message, ok: false }
      ]
    }
  }
  const final = chain[chain.length - 1]!
  if (options.redirects === 'forbid')
    assertions.push({
      what: 'redirects',
      expected: 'none',
      got: REDIRECT_STATUSES.has(final.status)
        ? `${final.status} to ${final.headers.location ? displayUrl(final.headers.location) : '(no Location)'}`
        : 'none',
      ok: !REDIRECT_STATUSES.has(final.status)
    })
  else if (chain.length > 1)
    assertions.push({
      what: 'redirects',
      expected: `at most ${MAX_REDIRECTS}`,
      got: chain.map((response) => `${response.status} ${displayUrl(response.url)}`).join(' → '),
      ok: true
    })
  const expectedStatus = options.status ?? '2xx'
  assertions.push({
    what: 'status',
    expected: describeStatus(expectedStatus),
    got: `${final.status}${final.statusText ? ` ${final.statusText}` : ''}`,
    ok: statusMatches(final.status, expectedStatus)
  })
  for (const text of [options['body-contains'] ?? []].flat())
    assertions.push({
      what: 'body',
      expected: `contains "${text}"`,
      got: final.body.includes(text) ? 'contains it' : `not found in ${excerpt(final.body)}`,
      ok: final.body.includes(text)
    })
  if (options.json) assertions.push(...jsonAssertions(final, options.json))
  const required = {
    ...(options['security-headers'] ? SECURITY_HEADERS : {}),
    ...options.headers
  }
  const forbidden = [
    ...(options['security-headers'] ? SECURITY_FORBIDDEN : []),
    ...(options['forbid-headers'] ?? [])
  ]
  assertions.push(...checkHeaders(final.headers, required, forbidden))
  if (options.cors) assertions.push(...(await corsAssertions(final.url, options, requestOptions)))
  if (options['https-redirect'])
    assertions.push(await httpsRedirectAssertion(url, options['https-redirect'], requestOptions))
  if (options.latency)
    assertions.push(...(await latencyAssertions(final.url, options.latency, requestOptions)))
  return { url, assertions, final }
}

async function fetchFollowing(
  url: string,
  requestOptions: RequestOptions,
  follow: boolean
): Promise<HttpResponse[]> {
  const chain = [await sendRequest(url, requestOptions)]
  while (follow && REDIRECT_STATUSES.has(chain[chain.length - 1]!.status)) {
    const last = chain[chain.length - 1]!
    if (!last.headers.location) break
    if (chain.length > MAX_REDIRECTS)
      throw new Error(`more than ${MAX_REDIRECTS} redirects (last to ${last.headers.location})`)
    const next = new URL(last.headers.location, last.url).toString()
    // Credentials stay with the origin they were given for.
    const sameOrigin = new URL(next).origin === new URL(url).origin
    chain.push(
      await sendRequest(next, sameOrigin ? requestOptions : { ...requestOptions, headers: {} })
    )
  }
  return chain
}

function jsonAssertions(response: HttpResponse, expected: Record<string, unknown>): Assertion[] {
  let document: unknown
  try {
    document = JSON.parse(response.body)
  } catch {
    return [
      {
        what: 'JSON body',
        expected: `JSON with ${Object.keys(expected).join(', ')}`,
        got: `not JSON (${response.headers['content-type'] ?? 'no content type'}): ${excerpt(response.body)}`,
        ok: false
      }
    ]
  }
  return Object.entries(expected).map(([path, value]) => {
    const actual = valueAtPath(document, path)
    return {
      what: `JSON ${path}`,
      expected: JSON.stringify(value),
      got: actual === undefined ? 'absent' : JSON.stringify(actual),
      ok: jsonEquals(actual, value)
    }
  })
}

/** A foreign Origin is not granted, on the request and on its preflight; listed origins are. */
async function corsAssertions(
  url: string,
  options: HttpOptions,
  requestOptions: RequestOptions
): Promise<Assertion[]> {
  const cors = typeof options.cors === 'object' ? options.cors : {}
  const foreign = cors.origin ?? FOREIGN_ORIGIN
  const assertions: Assertion[] = []
  const probe = async (origin: string, preflight: boolean) => {
    const response = await sendRequest(url, {
      ...requestOptions,
      method: preflight ? 'OPTIONS' : (requestOptions.method ?? 'GET'),
      headers: {
        ...requestOptions.headers,
        origin,
        ...(preflight && { 'access-control-request-method': 'POST' })
      }
    })
    const allowed = response.headers['access-control-allow-origin']
    return {
      granted: allowed === '*' || allowed === origin,
      shown:
        allowed === undefined
          ? 'no Access-Control-Allow-Origin'
          : `Access-Control-Allow-Origin: ${allowed}${response.headers['access-control-allow-credentials'] === 'true' ? ' (with credentials)' : ''}`
    }
  }
  for (const preflight of [false, true]) {
    const what = `CORS ${preflight ? 'preflight' : 'request'} from ${foreign}`
    try {
      const result = await probe(foreign, preflight)
      assertions.push({ what, expected: 'not granted', got: result.shown, ok: !result.granted })
    } catch (error) {
      assertions.push({ what, expected: 'not granted', got: (error as Error).message, ok: false })
    }
  }
  for (const origin of cors['allowed-origins'] ?? []) {
    const what = `CORS request from ${origin}`
    try {
      const result = await probe(origin, false)
      assertions.push({ what, expected: 'granted', got: result.shown, ok: result.granted })
    } catch (error) {
      assertions.push({ what, expected: 'granted', got: (error as Error).message, ok: false })
    }
  }
  return assertions
}

async function httpsRedirectAssertion(
  url: string,
  setting: true | string,
  requestOptions: RequestOptions
): Promise<Assertion> {
  const from = typeof setting === 'string' ? setting : plainHttp(url)
  const what = `HTTPS redirect from ${displayUrl(from)}`
  const expected = 'a redirect to https://'
  try {
    const response = await sendRequest(from, { ...requestOptions, headers: {} })
    const location = response.headers.location
    const target = location ? new URL(location, from) : undefined
    const ok = REDIRECT_STATUSES.has(response.status) && target?.protocol === 'https:'
    return {
      what,
      expected,
      got: REDIRECT_STATUSES.has(response.status)
        ? `${response.status} to ${location ? displayUrl(location) : '(no Location)'}`
        : `${response.status} without a redirect`,
      ok: ok && target.hostname === new URL(from).hostname
    }
  } catch (error) {
    return { what, expected, got: (error as Error).message, ok: false }
  }
}

/**
 * The `http://` form of a URL, with its explicit port kept (`http://127.0.0.1:8080/` is probed
 * on 8080, not 80); a URL on the default port stays on the default port.
 */
export function plainHttp(url: string): string {
  const parsed = new URL(url)
  parsed.protocol = 'http:'
  return parsed.toString()
}

async function latencyAssertions(
  url: string,
  latency: NonNullable<HttpOptions['latency']>,
  requestOptions: RequestOptions
): Promise<Assertion[]> {
  const count = latency.requests ?? 10
  const durations: number[] = []
  const failures: string[] = []
  for (let index = 0; index < count; index++) {
    try {
      const response = await sendRequest(url, requestOptions)
      durations.push(response.ms)
      if (response.status >= 500) failures.push(String(response.status))
    } catch (error) {
      failures.push((error as Error).message)
    }
  }
  const assertions: Assertion[] = []
  for (const [name, bound] of [
    ['p50', latency.p50],
    ['p95', latency.p95]
  ] as const) {
    if (bound === undefined) continue
    const limit = parseDuration(bound)
    const value = percentile(durations, Number(name.slice(1)))
    assertions.push({
      what: `latency ${name} of ${count} requests`,
      expected: `≤ ${formatDuration(limit)}`,
      got: durations.length ? formatDuration(value) : 'no responses',
      ok: durations.length === count && value <= limit
    })
  }
  if (failures.length)
    assertions.push({
      what: `latency requests`,
      expected: `${count} answered`,
      got: `${plural(failures.length, 'failure')}: ${[...new Set(failures)].join('; ')}`,
      ok: false
    })
  return assertions
}

function renderVerdict(verdict: UrlVerdict): string {
  const failed = verdict.assertions.filter((item) => !item.ok).length
  return [
    `**\`${displayUrl(verdict.url)}\`**: ${failed ? `${failed} of ${plural(verdict.assertions.length, 'check')} failed` : `all ${plural(verdict.assertions.length, 'check')} passed`}${verdict.attempts > 1 ? ` after ${plural(verdict.attempts, 'attempt')}` : ''}${verdict.final ? ` (${formatDuration(verdict.final.ms)})` : ''}.`,
    '',
    renderAssertions(verdict.assertions)
  ].join('\n')
}

/** A short, single-line view of a body for a failure message. */
function excerpt(body: string): string {
  const flat = body.replace(/\s+/g, ' ').trim()
  return flat ? `"${flat.length > 120 ? `${flat.slice(0, 120)}…` : flat}"` : 'an empty body'
}

/** The `http` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'http',
  cpuBound: false,
  run: httpCheck,
  secretsOf: httpSecrets
}
