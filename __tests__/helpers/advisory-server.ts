import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import semver from 'semver'

const FIXTURES = new URL('../fixtures/', import.meta.url)

interface OsvRecord {
  id: string
  summary: string
  aliases?: string[]
  severity?: Array<{ type: string; score: string }>
  affected: Array<{
    package: { ecosystem: string; name: string }
    ranges: Array<{ events: Array<{ introduced?: string; fixed?: string }> }>
  }>
  database_specific: { severity: string; cwe_ids?: string[] }
}

/** An advisory as npm's bulk endpoint returns it. */
export interface BulkAdvisory {
  id: number
  url: string
  title: string
  severity: string
  vulnerable_versions: string
  cwe: string[]
  cvss: { score: number; vectorString: string | null }
}

/** The real OSV records in fixtures/advisories, as the bulk endpoint's entries per package. */
export function bulkAdvisories(): Map<string, BulkAdvisory[]> {
  const byPackage = new Map<string, BulkAdvisory[]>()
  const directory = new URL('advisories/', FIXTURES)
  for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
    const record = JSON.parse(readFileSync(new URL(file, directory), 'utf8')) as OsvRecord
    const ranges = new Map<string, string[]>()
    for (const affected of record.affected.filter((item) => item.package.ecosystem === 'npm')) {
      for (const range of affected.ranges) {
        const introduced = range.events.find((event) => event.introduced)?.introduced ?? '0'
        const fixed = range.events.find((event) => event.fixed)?.fixed
        const text =
          [introduced !== '0' ? `>=${introduced}` : '', fixed ? `<${fixed}` : '']
            .filter(Boolean)
            .join(' ') || '*'
        ranges.set(affected.package.name, [...(ranges.get(affected.package.name) ?? []), text])
      }
    }
    for (const [name, list] of ranges) {
      const advisory: BulkAdvisory = {
        // npm's numeric ids are not in OSV records; a stable number derived from the GHSA id stands in.
        id: numericId(record.id),
        url: `https://github.com/advisories/${record.id}`,
        title: record.summary,
        severity: record.database_specific.severity.toLowerCase(),
        vulnerable_versions: list.join(' || '),
        cwe: record.database_specific.cwe_ids ?? [],
        cvss: {
          score: 0,
          vectorString: record.severity?.find((item) => item.type === 'CVSS_V3')?.score ?? null
        }
      }
      byPackage.set(name, [...(byPackage.get(name) ?? []), advisory])
    }
  }
  return byPackage
}

function numericId(ghsa: string): number {
  let hash = 0
  for (const character of ghsa) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_000_007
  return 1_000_000 + (hash % 8_999_999)
}

export type AdvisoryServerMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number }
  | { kind: 'drop' }
  | { kind: 'slow'; delayMs: number }

export interface AdvisoryServer {
  url: string
  /** What npm (or pnpm, yarn) asked for, in order. */
  requests: Array<{ method: string; url: string; body: string }>
  mode: AdvisoryServerMode
  close(): Promise<void>
}

/**
 * A local npm registry for audits: the bulk advisory endpoint (and the quick-audit endpoint,
 * npm's fallback) answer from real advisory records; packuments come from recorded ones. The
 * `mode` makes the advisory endpoints fail: a status, a dropped connection, or a slow answer.
 */
export async function startAdvisoryServer(): Promise<AdvisoryServer> {
  const advisories = bulkAdvisories()
  const requests: AdvisoryServer['requests'] = []
  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let raw = Buffer.concat(chunks)
      if (request.headers['content-encoding'] === 'gzip' && raw.length) raw = gunzipSync(raw)
      const body = raw.toString('utf8')
      const url = request.url ?? '/'
      requests.push({ method: request.method ?? '', url, body })
      const isAudit = url.includes('/-/npm/v1/security/')
      if (isAudit && state.mode.kind === 'status')
        return send(response, state.mode.status, { error: 'advisory service unavailable' })
      if (isAudit && state.mode.kind === 'drop') return void request.socket.destroy()
      const answer = (): void => {
        if (url.startsWith('/-/npm/v1/security/advisories/bulk')) {
          const wanted = JSON.parse(body || '{}') as Record<string, string[]>
          const found: Record<string, BulkAdvisory[]> = {}
          for (const [name, versions] of Object.entries(wanted)) {
            const matching = (advisories.get(name) ?? []).filter((advisory) =>
              versions.some((version) => semver.satisfies(version, advisory.vulnerable_versions))
            )
            if (matching.length) found[name] = matching
          }
          return send(response, 200, found)
        }
        if (isAudit) return send(response, 404, { error: 'not found' })
        const name = decodeURIComponent(url.slice(1).split('?')[0]!)
        try {
          send(
            response,
            200,
            JSON.parse(
              readFileSync(new URL(`registry/${name.replace('/', '__')}.json`, FIXTURES), 'utf8')
            )
          )
        } catch {
          send(response, 404, { error: 'Not found' })
        }
      }
      if (isAudit && state.mode.kind === 'slow') setTimeout(answer, state.mode.delayMs)
      else answer()
    })
  })
  const state: AdvisoryServer = {
    url: '',
    requests,
    mode: { kind: 'ok' },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return state
}

function send(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
