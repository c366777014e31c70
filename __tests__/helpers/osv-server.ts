import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

const FIXTURES = new URL('../fixtures/', import.meta.url)

/** The real OSV records of the tests: fixtures/advisories (npm) and fixtures/osv (PyPI, Go, crates.io). */
export function osvRecords(): Map<string, Record<string, unknown>> {
  const records = new Map<string, Record<string, unknown>>()
  for (const folder of ['advisories/', 'osv/']) {
    const directory = new URL(folder, FIXTURES)
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
      const record = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as { id: string }
      records.set(record.id, record)
    }
  }
  return records
}

/**
 * Which records affect which installed version, worked out by hand from the records' ranges
 * (not by the code under test): the local API answers querybatch from this table, and the
 * offline tests expect the same findings from their own matching.
 */
export const ORACLE: Record<string, string[]> = {
  // lodash: GHSA-29mw and GHSA-35jh fixed in 4.17.21, GHSA-p6mc fixed in 4.17.20.
  'npm:lodash@4.17.20': ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm'],
  'npm:lodash@4.17.15': ['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw'],
  // minimist: GHSA-vh95 <0.2.1 and 1.0.0–1.2.3; GHSA-xvch <0.2.4 and 1.0.0–1.2.6.
  'npm:minimist@0.0.8': ['GHSA-vh95-rmgr-6w4m', 'GHSA-xvch-5gv4-984h'],
  'npm:minimist@1.2.5': ['GHSA-xvch-5gv4-984h'],
  // flask: GHSA-m2qf <2.2.5 and 2.3.0–2.3.2.
  'PyPI:flask@2.2.2': ['GHSA-m2qf-hxjv-5gpq'],
  'PyPI:flask@2.2.4': ['GHSA-m2qf-hxjv-5gpq'],
  'PyPI:flask@2.3.1': ['GHSA-m2qf-hxjv-5gpq'],
  // jinja2: GHSA-g3rq and PYSEC-2021-66 (one CVE) <2.11.3; GHSA-h5c8 <3.1.3.
  'PyPI:jinja2@2.11.2': ['GHSA-g3rq-g295-4j3m', 'GHSA-h5c8-rqwp-cp95', 'PYSEC-2021-66'],
  'PyPI:jinja2@3.1.2': ['GHSA-h5c8-rqwp-cp95'],
  // golang.org/x/text: GHSA-69ch <0.3.8 (the record names the package x/text/language).
  'Go:golang.org/x/text@0.3.7': ['GHSA-69ch-w2m2-3vjp'],
  // regex: GHSA-m5pq <1.5.5.
  'crates.io:regex@1.5.4': ['GHSA-m5pq-gvj9-9vr8']
}

export type OsvServerMode =
  | 'ok'
  /** Every request answers 500. */
  | 'error-500'
  /** The first request answers 503, the next ones as usual. */
  | 'error-once'
  /** The connection is dropped without an answer. */
  | 'reset'
  /** The request is held open and never answered. */
  | 'hang'
  /** 200 with a body that is not JSON. */
  | 'garbage'
  /** 200 with an empty body. */
  | 'empty'
  /** 200 with fewer results than queries. */
  | 'short'
  /** /v1/vulns/{id} answers 404. */
  | 'missing-record'

export interface OsvServer {
  url: string
  requests: Array<{ method: string; url: string; body: string }>
  /** Whether a querybatch body was rejected as not matching the API (the test fails on it). */
  invalid: string[]
  close(): Promise<void>
}

const pypi = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-')

/**
 * A local OSV API: `/v1/querybatch` from the hand-worked ORACLE (at most `pageSize` ids per
 * result, then a `next_page_token`), `/v1/vulns/{id}` from the real records.
 */
export async function startOsvServer(
  options: { mode?: OsvServerMode; pageSize?: number } = {}
): Promise<OsvServer> {
  const records = osvRecords()
  const mode = options.mode ?? 'ok'
  const requests: OsvServer['requests'] = []
  const invalid: string[] = []
  const sockets = new Set<Socket>()
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk: Buffer) => (body += chunk.toString()))
    request.on('end', () => {
      requests.push({ method: request.method ?? '', url: request.url ?? '', body })
      if (mode === 'hang') return
      if (mode === 'reset') return request.socket.destroy()
      if (mode === 'error-500' || (mode === 'error-once' && requests.length === 1)) {
        response.writeHead(mode === 'error-once' ? 503 : 500, { 'content-type': 'text/plain' })
        return response.end('upstream error')
      }
      const json = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' })
        response.end(JSON.stringify(value))
      }
      if (mode === 'garbage') {
        response.writeHead(200, { 'content-type': 'text/html' })
        return response.end('<html><body>Gateway says hello</body></html>')
      }
      if (mode === 'empty') {
        response.writeHead(200, { 'content-type': 'application/json' })
        return response.end('')
      }
      const vuln = /^\/v1\/vulns\/([^/?]+)$/.exec(request.url ?? '')
      if (request.method === 'GET' && vuln) {
        const record = records.get(decodeURIComponent(vuln[1]!))
        if (!record || mode === 'missing-record')
          return json(404, { code: 5, message: 'Bug not found.' })
        return json(200, record)
      }
      if (request.method !== 'POST' || request.url !== '/v1/querybatch')
        return json(404, { code: 5, message: 'Not found' })
      let queries: Array<{
        package?: { ecosystem?: string; name?: string }
        version?: string
        page_token?: string
      }>
      try {
        queries = (JSON.parse(body) as { queries: typeof queries }).queries
        if (!Array.isArray(queries) || queries.length > 1000)
          throw new Error('queries: a list of at most 1000')
        for (const query of queries)
          if (!query.package?.ecosystem || !query.package.name || !query.version)
            throw new Error(
              `each query needs package.ecosystem, package.name and version: ${JSON.stringify(query)}`
            )
      } catch (error) {
        invalid.push((error as Error).message)
        return json(400, { code: 3, message: (error as Error).message })
      }
      const results = queries.map((query) => {
        const name =
          query.package!.ecosystem === 'PyPI' ? pypi(query.package!.name!) : query.package!.name
        const ids = ORACLE[`${query.package!.ecosystem}:${name}@${query.version}`] ?? []
        const offset = Number(query.page_token ?? 0)
        const size = options.pageSize ?? ids.length
        const page = ids.slice(offset, offset + size)
        if (!page.length) return {}
        return {
          vulns: page.map((id) => ({ id, modified: (records.get(id)?.modified as string) ?? '' })),
          ...(offset + size < ids.length && { next_page_token: String(offset + size) })
        }
      })
      json(200, { results: mode === 'short' ? results.slice(1) : results })
    })
  })
  server.on('connection', (socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    invalid,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      })
  }
}
