import { readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { createServer as createTlsServer } from 'node:https'
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
  /** The record's aliases (CVE ids), for the quick-audit (v6) answer. */
  cves?: string[]
  /** ">=1.2.6" style ranges that are fixed, for the quick-audit (v6) answer. */
  patched?: string
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
    const introducedFixed = new Map<string, Array<[string, string | undefined]>>()
    for (const affected of record.affected.filter((item) => item.package.ecosystem === 'npm')) {
      for (const range of affected.ranges) {
        const introduced = range.events.find((event) => event.introduced)?.introduced ?? '0'
        const fixed = range.events.find((event) => event.fixed)?.fixed
        const text =
          [introduced !== '0' ? `>=${introduced}` : '', fixed ? `<${fixed}` : '']
            .filter(Boolean)
            .join(' ') || '*'
        ranges.set(affected.package.name, [...(ranges.get(affected.package.name) ?? []), text])
        introducedFixed.set(affected.package.name, [
          ...(introducedFixed.get(affected.package.name) ?? []),
          [introduced, fixed]
        ])
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
        },
        cves: (record.aliases ?? []).filter((alias) => alias.startsWith('CVE-')),
        patched: patchedRanges(introducedFixed.get(name) ?? [])
      }
      byPackage.set(name, [...(byPackage.get(name) ?? []), advisory])
    }
  }
  return byPackage
}

/** The versions between vulnerable ranges: from each fix up to where the next range begins. */
function patchedRanges(ranges: Array<[string, string | undefined]>): string {
  const sorted = [...ranges].sort(([a], [b]) =>
    semver.compare(semver.coerce(a)!, semver.coerce(b)!)
  )
  const parts = sorted.flatMap(([, fixed], index) => {
    if (!fixed) return []
    const next = sorted[index + 1]?.[0]
    return [next ? `>=${fixed} <${next}` : `>=${fixed}`]
  })
  return parts.join(' || ') || '<0.0.0'
}

function numericId(ghsa: string): number {
  let hash = 0
  for (const character of ghsa) hash = (hash * 31 + character.charCodeAt(0)) % 1_000_000_007
  return 1_000_000 + (hash % 8_999_999)
}

export type AdvisoryServerMode =
  | { kind: 'ok' }
  | { kind: 'status'; status: number; /** then answers normally */ times?: number }
  | { kind: 'drop' }
  | { kind: 'slow'; delayMs: number }

export interface AdvisoryServer {
  url: string
  /** What npm (or pnpm, yarn) asked for, in order. */
  requests: Array<{ method: string; url: string; body: string }>
  mode: AdvisoryServerMode
  /**
   * The npm 6 audit endpoints (`/-/npm/v1/security/audits` and `/quick`) that the public registry
   * retired in 2026: 'retired' answers them with its 410, 'serve' as they used to answer.
   */
  legacyEndpoints: 'serve' | 'retired'
  /** GHSA ids the bulk endpoint does not know yet (an advisory published later). */
  withheld: Set<string>
  close(): Promise<void>
}

/**
 * A local npm registry for audits: the bulk advisory endpoint (and the quick-audit endpoint,
 * npm's fallback) answer from real advisory records; packuments come from recorded ones. The
 * `mode` makes the advisory endpoints fail: a status, a dropped connection, or a slow answer.
 */
export async function startAdvisoryServer(
  options: { tls?: { key: string; cert: string } } = {}
): Promise<AdvisoryServer> {
  const advisories = bulkAdvisories()
  const requests: AdvisoryServer['requests'] = []
  const handler: import('node:http').RequestListener = (request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      let raw = Buffer.concat(chunks)
      if (request.headers['content-encoding'] === 'gzip' && raw.length) raw = gunzipSync(raw)
      const body = raw.toString('utf8')
      const url = request.url ?? '/'
      requests.push({ method: request.method ?? '', url, body })
      const isAudit = url.includes('/-/npm/v1/security/')
      if (isAudit && state.mode.kind === 'status') {
        const { status, times } = state.mode
        if (times !== undefined)
          state.mode = times > 1 ? { ...state.mode, times: times - 1 } : { kind: 'ok' }
        return send(response, status, { error: 'advisory service unavailable' })
      }
      if (isAudit && state.mode.kind === 'drop') return void request.socket.destroy()
      const answer = (): void => {
        if (url.startsWith('/-/npm/v1/security/advisories/bulk')) {
          const wanted = JSON.parse(body || '{}') as Record<string, string[]>
          const found: Record<string, Omit<BulkAdvisory, 'cves' | 'patched'>[]> = {}
          for (const [name, versions] of Object.entries(wanted)) {
            const matching = (advisories.get(name) ?? []).filter(
              (advisory) =>
                !state.withheld.has(advisory.url.split('/').pop() ?? '') &&
                versions.some((version) => semver.satisfies(version, advisory.vulnerable_versions))
            )
            // The bulk endpoint's records carry no CVE list or patched range.
            if (matching.length)
              found[name] = matching.map(
                ({ cves: _cves, patched: _patched, ...advisory }) => advisory
              )
          }
          return send(response, 200, found)
        }
        if (url.startsWith('/-/npm/v1/security/audits') && state.legacyEndpoints === 'retired')
          return send(response, 410, { error: RETIRED })
        if (url.startsWith('/-/npm/v1/security/audits'))
          return send(response, 200, quickAudit(JSON.parse(body || '{}') as TreeNode, advisories))
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
  }
  const server = options.tls ? createTlsServer(options.tls, handler) : createServer(handler)
  const state: AdvisoryServer = {
    url: '',
    requests,
    mode: { kind: 'ok' },
    legacyEndpoints: 'serve',
    withheld: new Set(),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  state.url = `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return state
}

/** The public registry's answer on its retired audit endpoints, verbatim. */
const RETIRED =
  'This endpoint is being retired. Use the bulk advisory endpoint instead. See the following docs for more info: https://api-docs.npmjs.com/#tag/Audit'

interface TreeNode {
  version?: string
  dev?: boolean
  dependencies?: Record<string, TreeNode>
}

/**
 * The quick-audit endpoint (npm 6's format, which pnpm and yarn classic still use): the whole tree
 * is posted; the answer lists each matching advisory with the paths (a>b>c) that reach it.
 */
function quickAudit(tree: TreeNode, advisories: Map<string, BulkAdvisory[]>): unknown {
  const found = new Map<
    number,
    {
      advisory: BulkAdvisory
      name: string
      findings: Map<string, { paths: string[]; dev: boolean }>
    }
  >()
  let dependencies = 0
  let devDependencies = 0
  const walk = (node: TreeNode, trail: string[]): void => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      const path = [...trail, name]
      if (child.version) {
        if (child.dev) devDependencies++
        else dependencies++
        for (const advisory of advisories.get(name) ?? []) {
          if (!semver.satisfies(child.version, advisory.vulnerable_versions)) continue
          const entry = found.get(advisory.id) ?? { advisory, name, findings: new Map() }
          const finding = entry.findings.get(child.version) ?? {
            paths: [],
            dev: Boolean(child.dev)
          }
          finding.paths.push(path.join('>'))
          entry.findings.set(child.version, finding)
          found.set(advisory.id, entry)
        }
      }
      walk(child, path)
    }
  }
  walk(tree, [])
  const counts = { info: 0, low: 0, moderate: 0, high: 0, critical: 0 }
  const out: Record<string, unknown> = {}
  for (const [id, { advisory, name, findings }] of found) {
    counts[advisory.severity as keyof typeof counts]++
    out[String(id)] = {
      findings: [...findings].map(([version, finding]) => ({
        version,
        paths: finding.paths,
        dev: finding.dev,
        optional: false,
        bundled: false
      })),
      id,
      title: advisory.title,
      module_name: name,
      cves: advisory.cves ?? [],
      vulnerable_versions: advisory.vulnerable_versions,
      patched_versions: advisory.patched ?? '<0.0.0',
      severity: advisory.severity,
      cwe: advisory.cwe,
      url: advisory.url,
      github_advisory_id: advisory.url.split('/').pop(),
      overview: advisory.title,
      recommendation: `Upgrade to version ${advisory.patched ?? 'none'}`,
      references: advisory.url,
      access: 'public',
      deleted: false,
      metadata: null
    }
  }
  return {
    actions: [...found].map(([id, { advisory, name, findings }]) =>
      remedy(id, advisory, name, findings)
    ),
    advisories: out,
    muted: [],
    metadata: {
      vulnerabilities: counts,
      dependencies,
      devDependencies,
      optionalDependencies: 0,
      totalDependencies: dependencies + devDependencies
    }
  }
}

/**
 * npm 6's remedy for one advisory: update to the newest patched version the registry has, or
 * review by hand; `resolves` lists every path it fixes (yarn 1 reports advisories from these).
 */
function remedy(
  id: number,
  advisory: BulkAdvisory,
  name: string,
  findings: Map<string, { paths: string[]; dev: boolean }>
): unknown {
  const resolves = [...findings.values()].flatMap(({ paths, dev }) =>
    paths.map((path) => ({ id, path, dev, optional: false, bundled: false }))
  )
  let versions: string[] = []
  try {
    const packument = JSON.parse(
      readFileSync(new URL(`registry/${name.replace('/', '__')}.json`, FIXTURES), 'utf8')
    ) as { versions: Record<string, unknown> }
    versions = Object.keys(packument.versions)
  } catch {
    // no recorded packument: nothing to update to
  }
  const target = advisory.patched ? semver.maxSatisfying(versions, advisory.patched) : null
  if (!target) return { action: 'review', module: name, resolves }
  const installed = [...findings.keys()]
  return {
    action: 'update',
    module: name,
    target,
    isMajor: installed.some((version) => semver.major(version) !== semver.major(target)),
    resolves
  }
}

function send(response: import('node:http').ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' })
  response.end(JSON.stringify(body))
}
