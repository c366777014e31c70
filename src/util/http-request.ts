import { request as httpRequest } from 'node:http'
import type { Agent, IncomingHttpHeaders } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { rootCertificates } from 'node:tls'
import { UNTRUSTED_REASONS } from './tls-reasons.js'

export interface HttpResponse {
  url: string
  status: number
  statusText: string
  /** Lower-case names; repeated headers joined with `, ` (Set-Cookie with `; `). */
  headers: Record<string, string>
  body: string
  /** The body was longer than the cap and was cut. */
  truncated: boolean
  /** From sending the request to the last byte of the body. */
  ms: number
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  /** Extra trusted certificates (PEM) for https, added to Node's bundled roots. */
  ca?: string
  timeoutMs: number
  signal?: AbortSignal
  /** Bytes of body kept (default 1 MiB); the rest is read and dropped. */
  maxBody?: number
  /** A request body (sent as is). */
  body?: string
  /** Connections to reuse (an API asked many times); by default a fresh one per request. */
  agent?: Agent
}

/**
 * One HTTP(S) request, never following redirects (the caller decides), timed to the last byte.
 * Rejects with a sentence a reviewer can read: refused, unresolvable, timed out, TLS refused.
 */
export function sendRequest(url: string, options: RequestOptions): Promise<HttpResponse> {
  const target = new URL(url)
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest
  const maxBody = options.maxBody ?? 1024 * 1024
  return new Promise((resolve, reject) => {
    const started = performance.now()
    const req = send(
      target,
      {
        method: options.method ?? 'GET',
        headers: { 'user-agent': 'release-gates', ...options.headers },
        timeout: options.timeoutMs,
        ...(options.signal && { signal: options.signal }),
        ...(target.protocol === 'https:' &&
          options.ca && { ca: [...rootCertificates, options.ca] }),
        // A fresh connection per request: latency includes what a new visitor pays.
        agent: options.agent ?? false
      },
      (res) => {
        const chunks: Buffer[] = []
        let kept = 0
        let truncated = false
        res.on('data', (chunk: Buffer) => {
          if (kept >= maxBody) {
            truncated = true
            return
          }
          chunks.push(chunk)
          kept += chunk.length
        })
        res.on('end', () => {
          const body = Buffer.concat(chunks)
          resolve({
            url,
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: flattenHeaders(res.headers),
            body: body.subarray(0, maxBody).toString('utf8'),
            truncated: truncated || body.length > maxBody,
            ms: performance.now() - started
          })
        })
        res.on('error', (error) => reject(readableError(error, target, options.timeoutMs)))
      }
    )
    req.on('timeout', () =>
      req.destroy(Object.assign(new Error('timeout'), { code: 'RG_TIMEOUT' }))
    )
    req.on('error', (error) => reject(readableError(error, target, options.timeoutMs)))
    req.end(options.body)
  })
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    flat[name] = Array.isArray(value) ? value.join(name === 'set-cookie' ? '; ' : ', ') : value
  }
  return flat
}

function readableError(error: Error, target: URL, timeoutMs: number): Error {
  const code = (error as NodeJS.ErrnoException).code ?? ''
  const where = target.host
  if (code === 'RG_TIMEOUT') return new Error(`no response from ${where} within ${timeoutMs} ms`)
  if (code === 'ABORT_ERR') return new Error(`the request to ${where} was cancelled`)
  if (code === 'ECONNREFUSED') return new Error(`connection refused by ${where}`)
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new Error(`${target.hostname} does not resolve`)
  if (code === 'ECONNRESET') return new Error(`${where} closed the connection`)
  if (UNTRUSTED_REASONS[code])
    return new Error(`TLS refused for ${where}: ${UNTRUSTED_REASONS[code]} (${code})`)
  return new Error(`${where}: ${error.message}`)
}
