import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import yazl from 'yazl'
import { createWriteStream } from 'node:fs'
import { osvAuditCheck as rawOsvAuditCheck } from '../../../src/checks/osv-audit/index.js'
import { definition } from '../../../src/checks/osv-audit/index.js'
import type { Finding } from '../../../src/model/types.js'
import { osvRecords, startOsvServer } from '../../helpers/osv-server.js'
import type { OsvServer, OsvServerMode } from '../../helpers/osv-server.js'
import { tempDir } from '../../helpers/fs.js'
import { judged, makeGate, makeWorkspace } from '../../helpers/plan.js'

const osvAuditCheck = (...args: Parameters<typeof rawOsvAuditCheck>) =>
  judged(rawOsvAuditCheck, ...args)

const PROJECTS = new URL('../../fixtures/osv-projects/', import.meta.url)
const temp = tempDir('rg-osv-')
let server: OsvServer | undefined
let polyglot: string
let database: string
let zip: string
afterAll(temp.cleanup)
afterEach(async () => {
  await server?.close()
  server = undefined
})

beforeAll(async () => {
  // One repository of every ecosystem: the npm workspace at the root, Python, Go and Rust in folders.
  polyglot = join(temp.dir, 'polyglot')
  cpSync(new URL('npm-v3', PROJECTS), polyglot, { recursive: true })
  for (const folder of ['python-pip', 'go', 'rust'])
    cpSync(new URL(folder, PROJECTS), join(polyglot, folder), { recursive: true })
  // The offline database, both ways osv.dev publishes it: records in a folder, an ecosystem's all.zip.
  database = join(temp.dir, 'db')
  mkdirSync(database)
  const records = osvRecords()
  for (const [id, record] of records)
    writeFileSync(join(database, `${id}.json`), JSON.stringify(record))
  zip = join(temp.dir, 'all.zip')
  const archive = new yazl.ZipFile()
  for (const [id, record] of records)
    archive.addBuffer(Buffer.from(JSON.stringify(record)), `${id}.json`)
  archive.end()
  await new Promise<void>((resolve) =>
    archive.outputStream.pipe(createWriteStream(zip)).on('close', () => resolve())
  )
})

const project = (name: string) => {
  const dir = join(temp.dir, `${name}-${Math.random().toString(36).slice(2)}`)
  cpSync(new URL(name, PROJECTS), dir, { recursive: true })
  return dir
}

async function audit(
  cwd: string,
  options: Record<string, unknown> = {},
  waivers: Array<Record<string, string>> = [],
  mode?: OsvServerMode
) {
  if (!options.database) server ??= await startOsvServer({ ...(mode && { mode }), pageSize: 1 })
  return osvAuditCheck(
    makeGate({
      id: 'osv',
      check: 'osv-audit',
      with: {
        ...(!options.database && { 'api-url': server!.url }),
        'retry-delay': '10ms',
        ...options
      },
      waivers: waivers.map((fields) => ({
        reason: 'not reachable from our code',
        owner: '@security',
        expires: '2026-12-31',
        location: 'gates.yml:9:9',
        ...fields
      }))
    }),
    makeWorkspace(cwd)
  )
}

/** Each finding as "file:line rule package", the oracle's form. */
const found = (findings: Finding[] | undefined) =>
  (findings ?? [])
    .filter((finding) => !finding.waived)
    .map((finding) =>
      `${finding.path}:${finding.line} ${finding.rule} ${finding.package ?? ''}`.trim()
    )
    .sort()

// Worked out by hand from the records' ranges (see helpers/osv-server.ts ORACLE) and the lockfiles.
const POLYGLOT = [
  'go/go.mod:12 unauditable',
  'go/go.mod:7 GHSA-69ch-w2m2-3vjp golang.org/x/text',
  'package-lock.json:21 GHSA-29mw-wpgm-hmr9 lodash',
  'package-lock.json:21 GHSA-35jh-r3h4-6jhm lodash',
  'package-lock.json:27 GHSA-vh95-rmgr-6w4m minimist',
  'package-lock.json:27 GHSA-xvch-5gv4-984h minimist',
  'package-lock.json:47 GHSA-29mw-wpgm-hmr9 lodash',
  'package-lock.json:47 GHSA-35jh-r3h4-6jhm lodash',
  'package-lock.json:47 GHSA-p6mc-m468-83gw lodash',
  'package-lock.json:64 GHSA-xvch-5gv4-984h minimist',
  'python-pip/requirements-dev.txt:3 GHSA-h5c8-rqwp-cp95 jinja2',
  'python-pip/requirements.txt:10 unauditable',
  'python-pip/requirements.txt:11 unauditable',
  'python-pip/requirements.txt:5 GHSA-m2qf-hxjv-5gpq flask',
  'python-pip/requirements.txt:7 GHSA-g3rq-g295-4j3m jinja2',
  'python-pip/requirements.txt:7 GHSA-h5c8-rqwp-cp95 jinja2',
  'python-pip/requirements.txt:8 unauditable',
  'python-pip/requirements.txt:9 unauditable',
  'python-pip/requirements/base.txt:2 unauditable',
  'rust/Cargo.lock:20 GHSA-m5pq-gvj9-9vr8 regex'
]

describe('osv-audit: every ecosystem of a repository in one gate', () => {
  it('the API: every lockfile found, findings as the oracle says, each on its lockfile line', async () => {
    const outcome = await audit(polyglot)
    expect(server!.invalid).toEqual([])
    expect(found(outcome.findings)).toEqual(POLYGLOT)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      '14 vulnerabilities at or above low: 2 critical, 6 high, 6 moderate; 6 entries cannot be audited'
    )
    // PYSEC-2021-66 and GHSA-g3rq are one vulnerability: one finding, the PYSEC id an alias.
    const jinja = outcome.findings!.find((finding) => finding.rule === 'GHSA-g3rq-g295-4j3m')!
    expect(jinja.aliases).toEqual(expect.arrayContaining(['PYSEC-2021-66', 'CVE-2020-28493']))
    expect(outcome.summary).toContain(
      '| moderate (CVSS 5.3) | `lodash` | 4.17.15 | [GHSA-29mw-wpgm-hmr9](https://github.com/advisories/GHSA-29mw-wpgm-hmr9)'
    )
    expect(outcome.summary).toContain('`package-lock.json:47` as `old-lodash` | 4.17.21 |')
    expect(outcome.summary).toContain('| `go/go.mod` | go.mod | Go | 2 |')
    // pageSize 1: every id past the first came through next_page_token.
    expect(
      server!.requests.filter((request) => request.body.includes('page_token')).length
    ).toBeGreaterThan(0)
    // Each record fetched once.
    const fetched = server!.requests
      .filter((request) => request.url.startsWith('/v1/vulns/'))
      .map((request) => request.url)
    expect(fetched.length).toBe(new Set(fetched).size)
  })

  it.each([
    ['a directory of records', () => database],
    ["osv.dev's all.zip", () => zip]
  ])('offline from %s: the same findings, judged here from the ranges', async (_label, source) => {
    const outcome = await audit(polyglot, { database: source() })
    expect(found(outcome.findings)).toEqual(POLYGLOT)
    expect(outcome.summary).toContain('Vulnerability data: offline database (11 OSV records in')
  })

  it('omit: [dev] leaves out what only development needs, where the lockfile says', async () => {
    const outcome = await audit(polyglot, { omit: ['dev'], unauditable: 'report' })
    expect(found(outcome.findings).filter((line) => !line.includes('unauditable'))).toEqual(
      POLYGLOT.filter(
        (line) =>
          !line.includes('unauditable') &&
          !line.includes(':27 ') &&
          !line.includes('requirements-dev.txt')
      )
    )
    expect(outcome.summary).toContain('development-only packages left out')
    expect(outcome.summary).toMatch(
      /`go\/go\.mod`, `rust\/Cargo\.lock` do not say which packages are for development only/
    )
  })

  it.each(['pnpm', 'yarn1', 'berry', 'npm-v2', 'npm-v1'])(
    '%s: the same npm findings as package-lock v3',
    async (name) => {
      const versions = (findings: Finding[] | undefined) =>
        (findings ?? [])
          .map((finding) => `${finding.rule} ${finding.message.split(' (')[0]}`)
          .sort()
      const outcome = await audit(project(name), { database })
      const expected = versions((await audit(project('npm-v3'), { database })).findings)
      // npm 6's v1 lockfile has no workspace: no minimist 1.2.5.
      expect(versions(outcome.findings)).toEqual(
        name === 'npm-v1'
          ? expected.filter((line) => line !== 'GHSA-xvch-5gv4-984h minimist 1.2.5')
          : expected
      )
      expect(expected).toHaveLength(8)
    }
  )

  it('fail-on high: moderate findings are notices; waivers by alias, by package, expired', async () => {
    const outcome = await audit(
      project('python-poetry1'),
      { 'fail-on': 'high', unauditable: 'report', database },
      [
        { id: 'CVE-2023-30861' },
        { id: 'GHSA-h5c8-rqwp-cp95', package: 'flask' },
        { id: 'GHSA-h5c8-rqwp-cp95', expires: '2026-01-01' }
      ]
    )
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe(
      'No vulnerability at or above high in 4 dependencies of 1 lockfile (1 moderate; 1 waived; 1 entry cannot be audited)'
    )
    expect(outcome.summary).toContain('🟡 GHSA-m2qf-hxjv-5gpq in `flask` waived by @security')
    expect(outcome.summary).toContain('⌛ **expired** 2026-01-01')
    expect(outcome.summary).toContain('❔ **unused**: GHSA-h5c8-rqwp-cp95')
    const moderate = outcome.findings!.find((finding) => finding.rule === 'GHSA-h5c8-rqwp-cp95')!
    expect(moderate).toMatchObject({
      level: 'notice',
      blocking: false,
      path: 'poetry.lock',
      line: 32
    })
  })

  it('an unpinned requirement fails the gate until pinned or waived by its path', async () => {
    const dir = join(temp.dir, 'unpinned')
    mkdirSync(dir)
    writeFileSync(join(dir, 'requirements.txt'), 'flask>=2.3.2\n')
    const failing = await audit(dir, { database })
    expect(failing.conclusion).toBe('failure')
    expect(failing.title).toBe(
      '1 entry cannot be audited: pin them (no vulnerability at or above low in 0 dependencies of 1 lockfile)'
    )
    expect(failing.annotations).toEqual([
      expect.objectContaining({ path: 'requirements.txt', line: 1, level: 'failure' })
    ])
    const waived = await audit(dir, { database }, [
      { rule: 'unauditable', path: 'requirements.txt' }
    ])
    expect(waived.conclusion).toBe('success')
  })

  it('a clean lockfile passes and says how much it audited', async () => {
    const outcome = await audit(project('python-poetry2'), { omit: ['dev'] })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe('No known vulnerabilities in 1 dependency of 1 lockfile')
  })
})

describe('osv-audit fails closed', () => {
  it('no lockfile', async () => {
    const dir = join(temp.dir, 'empty')
    mkdirSync(dir)
    const outcome = await audit(dir, { database })
    expect(outcome).toMatchObject({ conclusion: 'failure', title: 'No lockfile in .' })
  })

  it('a lockfile that does not parse, with its line', async () => {
    const dir = join(temp.dir, 'broken')
    mkdirSync(dir)
    writeFileSync(join(dir, 'go.mod'), 'module m\n\nrequire example.com/x 1.0\n')
    const outcome = await audit(dir, { database })
    expect(outcome).toMatchObject({ conclusion: 'failure', title: 'Cannot read go.mod:3' })
  })

  it('an offline database without the ecosystem, or empty', async () => {
    const npmOnly = join(temp.dir, 'npm-only')
    mkdirSync(npmOnly)
    cpSync(new URL('../../fixtures/advisories/', import.meta.url), npmOnly, { recursive: true })
    const outcome = await audit(polyglot, { database: npmOnly })
    expect(outcome).toMatchObject({
      conclusion: 'failure',
      title: 'The offline database has no Go, PyPI, crates.io records'
    })
    const none = join(temp.dir, 'none')
    mkdirSync(none)
    expect((await audit(polyglot, { database: none })).title).toBe(
      'The offline database holds no OSV records'
    )
    expect((await audit(polyglot, { database: join(temp.dir, 'nowhere.zip') })).title).toMatch(
      /^cannot read the database .*nowhere\.zip: ENOENT/
    )
  })

  it.each([
    ['error-500', /^OSV answered \/v1\/querybatch with HTTP 500 \(3 attempts\)$/],
    ['reset', /^OSV request \/v1\/querybatch failed: .* \(3 attempts\)$/],
    ['hang', /^OSV did not answer \/v1\/querybatch within 200 ms \(3 attempts\)$/],
    ['garbage', /^OSV answered \/v1\/querybatch with something that is not JSON$/],
    ['empty', /^OSV answered \/v1\/querybatch with an empty body$/],
    ['short', /^OSV answered 4 results for 5 queries/],
    ['missing-record', /^OSV answered \/v1\/vulns\/GHSA-\S+ with HTTP 404$/]
  ] as const)('the API %s: the reason, no pass', async (mode, title) => {
    const outcome = await audit(project('npm-v3'), { 'request-timeout': '200ms' }, [], mode)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toMatch(title)
    expect(outcome.summary).toContain(
      'No vulnerability data was established for 5 package versions, so the gate cannot pass.'
    )
  })

  it('a transient 503 is retried, then the answer stands', async () => {
    const outcome = await audit(project('npm-v3'), {}, [], 'error-once')
    expect(outcome.title).toMatch(/^8 vulnerabilities at or above low/)
    expect(server!.requests[0]!.url).toBe('/v1/querybatch')
  })

  it("the API URL's credentials are secrets before the gate starts", () => {
    const secrets = definition.secretsOf!(
      makeGate({
        id: 'osv',
        check: 'osv-audit',
        with: { 'api-url': 'https://ci:s3cr3t-pass@osv.mirror.example/' }
      }),
      { env: {} } as never
    )
    expect(secrets).toContain('s3cr3t-pass')
  })
})
