import { readFromDisk } from '../../../src/config/source.js'
import { policyReader } from '../../../src/engine/evaluate.js'
import { chmodSync, cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { generate } from 'selfsigned'
import { CHECKS } from '../../../src/checks/index.js'
import { npmAuditCheck as rawNpmAuditCheck } from '../../../src/checks/npm-audit/index.js'
import { runPlan } from '../../../src/engine/run-plan.js'
import { exec } from '../../../src/util/exec.js'
import { Redactor } from '../../../src/util/redact.js'
import { startAdvisoryServer } from '../../helpers/advisory-server.js'
import type { AdvisoryServer } from '../../helpers/advisory-server.js'
import { startConnectProxy } from '../../helpers/connect-proxy.js'
import type { ConnectProxy } from '../../helpers/connect-proxy.js'
import { tempDir, writeTree } from '../../helpers/fs.js'
import { judged, makeGate, makePlan, makeWorkspace } from '../../helpers/plan.js'

/** The check as the engine reports it: finding waivers applied, annotations from its findings. */
const npmAuditCheck = (...args: Parameters<typeof rawNpmAuditCheck>) =>
  judged(rawNpmAuditCheck, ...args)

const temp = tempDir('rg-audit-')
let project: string
let server: AdvisoryServer
afterAll(temp.cleanup)
beforeAll(() => {
  // lodash 4.17.15 (production) and minimist 1.2.0 (dev), locked.
  project = join(temp.dir, 'shop')
  cpSync(new URL('../../fixtures/audit-project', import.meta.url), project, { recursive: true })
})
afterEach(() => server.close())

const bulkRequest = () =>
  server.requests.find((request) => request.url === '/-/npm/v1/security/advisories/bulk')

const waiver = (fields: Record<string, string>) => ({
  reason: 'not reachable from our code',
  owner: '@security',
  expires: '2026-12-31',
  location: 'gates.yml:9:9',
  ...fields
})

/** The gate reading a report made earlier (one of the recorded tool outputs). */
const fromReport = (file: string) => audit({ 'report-file': file }, [], process.cwd())

/** The real npm, asked through the gate, against the local advisory server. */
async function audit(
  options: Record<string, unknown>,
  waivers: ReturnType<typeof waiver>[] = [],
  cwd = project,
  extraEnv: Record<string, string> = {}
) {
  server ??= await startAdvisoryServer()
  const env = {
    // pnpm is this project's dev dependency; npm comes with node.
    PATH: `${resolve('node_modules/.bin')}:${process.env.PATH}`,
    HOME: temp.dir,
    npm_config_cache: join(temp.dir, 'npm-cache'),
    npm_config_fetch_retries: '0',
    // pnpm 11+ reads its own prefix; it would retry a 500 for 70 s.
    pnpm_config_fetch_retries: '0',
    npm_config_update_notifier: 'false',
    ...extraEnv
  }
  return npmAuditCheck(
    makeGate({
      id: 'audit',
      check: 'npm-audit',
      with: { ...(!('registry' in options) && { registry: server.url }), ...options },
      waivers
    }),
    makeWorkspace(cwd, env)
  )
}

describe('npm-audit with the real npm against a local advisory server', () => {
  it('findings at or above fail-on fail, worst first, annotated on their lockfile lines', async () => {
    server = await startAdvisoryServer()
    const outcome = await audit({ 'fail-on': 'high' })
    expect(outcome.conclusion).toBe('failure')
    // Advisories are counted; npm's own figure (vulnerable packages) is shown beside them.
    expect(outcome.title).toBe(
      '3 advisories at or above high: 1 critical, 2 high; 1 below (npm reports 2 vulnerable packages)'
    )
    expect(outcome.summary).toContain(
      '| critical | `minimist` | 1.2.0 | [GHSA-xvch-5gv4-984h](https://github.com/advisories/GHSA-xvch-5gv4-984h) Prototype Pollution in minimist | node_modules/minimist |'
    )
    expect(outcome.summary).toContain('| high | `lodash` | 4.17.15 | [GHSA-35jh-r3h4-6jhm]')
    expect(outcome.summary).toContain('lodash@4.18.1')
    const lockLines = readFileSync(join(project, 'package-lock.json'), 'utf8').split('\n')
    expect(outcome.annotations[0]).toMatchObject({
      path: 'package-lock.json',
      level: 'failure',
      title: 'critical: GHSA-xvch-5gv4-984h'
    })
    expect(lockLines[outcome.annotations[0]!.line - 1]).toContain('"node_modules/minimist"')
    expect(bulkRequest()).toMatchObject({
      method: 'POST',
      body: '{"lodash":["4.17.15"],"minimist":["1.2.0"]}'
    })
  })

  it('findings below fail-on pass; omit: [dev] audits production dependencies only', async () => {
    server = await startAdvisoryServer()
    const production = await audit({ 'fail-on': 'critical', omit: ['dev'] })
    expect(production).toMatchObject({
      conclusion: 'success',
      title: 'No vulnerability at or above critical in 2 dependencies (2 high)'
    })
    expect(bulkRequest()!.body).toBe('{"lodash":["4.17.15"]}')
  })

  it('a waiver in force waives its finding; an expired one waives nothing; an unused one is listed', async () => {
    server = await startAdvisoryServer()
    const outcome = await audit({ 'fail-on': 'critical' }, [
      waiver({ id: 'GHSA-xvch-5gv4-984h', package: 'minimist' }),
      waiver({ id: 'GHSA-35jh-r3h4-6jhm', expires: '2026-01-01' }),
      waiver({ id: 'GHSA-0000-0000-0000' })
    ])
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toContain('1 waived')
    expect(outcome.summary).toContain('| critical (waived) | `minimist` |')
    expect(outcome.summary).toContain(
      '🟡 GHSA-xvch-5gv4-984h in `minimist` waived by @security until 2026-12-31'
    )
    expect(outcome.summary).toContain('⌛ **expired** 2026-01-01: GHSA-35jh-r3h4-6jhm')
    expect(outcome.summary).toContain('❔ **unused**: GHSA-0000-0000-0000')
    // Narrowed to another package, the same advisory id waives nothing.
    const narrowed = await audit({ 'fail-on': 'critical' }, [
      waiver({ id: 'GHSA-xvch-5gv4-984h', package: 'lodash' })
    ])
    expect(narrowed.conclusion).toBe('failure')
  })

  it.each([
    [
      'answers 500',
      { kind: 'status', status: 500 } as const,
      'npm audit failed: 500 Internal Server Error'
    ],
    ['closes the connection', { kind: 'drop' } as const, 'socket hang up']
  ])(
    'the advisory server %s: the gate fails with the reason, never "no vulnerabilities"',
    async (_name, mode, reason) => {
      server = await startAdvisoryServer()
      server.mode = mode
      const outcome = await audit({})
      expect(outcome.conclusion).toBe('failure')
      expect(outcome.title).toContain(reason)
    }
  )

  it('a transient 502 is retried with backoff, and the audit then counts', async () => {
    server = await startAdvisoryServer()
    server.mode = { kind: 'status', status: 502, times: 1 }
    const outcome = await audit({ 'retry-delay': '100ms' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toMatch(/^4 advisories at or above low/)
  })

  it('a registry that refuses the audit endpoint (405): the message names report-file', async () => {
    server = await startAdvisoryServer()
    server.mode = { kind: 'status', status: 405 }
    const outcome = await audit({})
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toContain('npm audit failed: 405')
    expect(outcome.title).not.toContain('attempts') // a refusal is not retried
    expect(outcome.summary).toContain('give the gate `report-file: audit.json`')
  })

  it('an advisory server slower than the gate’s timeout: timed out, npm killed', async () => {
    server = await startAdvisoryServer()
    server.mode = { kind: 'slow', delayMs: 20_000 }
    const env = {
      PATH: process.env.PATH,
      HOME: temp.dir,
      npm_config_cache: join(temp.dir, 'npm-cache'),
      npm_config_fetch_retries: '0'
    }
    const started = Date.now()
    const report = await runPlan(
      makePlan([
        makeGate({
          id: 'audit',
          check: 'npm-audit',
          timeoutMs: 3000,
          with: { registry: server.url }
        })
      ]),
      {
        checks: CHECKS,
        redactor: new Redactor(),
        workspace: {
          cwd: project,
          env,
          exec,
          logger: { info: () => undefined, warning: () => undefined, debug: () => undefined },
          secret: () => undefined,
          readPolicyFile: policyReader(project, readFromDisk),
          now: new Date()
        }
      }
    )
    expect(report.gates[0]).toMatchObject({ conclusion: 'timed_out', blocking: true })
    expect(Date.now() - started).toBeLessThan(12_000)
  })

  it('no lockfile, or a bun project, fails with the reason; report-file reads an earlier report', async () => {
    server = await startAdvisoryServer()
    writeTree(temp.dir, {
      'nolock/package.json': '{"name":"x","version":"1.0.0"}',
      'bun/package.json': '{"name":"z","version":"1.0.0"}',
      'bun/bun.lock': '{}\n'
    })
    expect((await audit({}, [], join(temp.dir, 'nolock'))).title).toBe('No lockfile in .')
    expect((await audit({}, [], join(temp.dir, 'bun'))).title).toBe(
      'bun projects are not supported by npm-audit'
    )
    // From a package of a monorepo, the lockfile at the repository root decides.
    writeTree(temp.dir, { 'bun/packages/web/package.json': '{"name":"web","version":"1.0.0"}' })
    expect((await audit({ cwd: 'packages/web' }, [], join(temp.dir, 'bun'))).title).toBe(
      'bun projects are not supported by npm-audit'
    )
    // package-manager overrides the lockfile: npm finds no package-lock.json there.
    expect(
      (await audit({ cwd: 'packages/web', 'package-manager': 'npm' }, [], join(temp.dir, 'bun')))
        .title
    ).toBe('No lockfile in packages/web')
    const fromFile = await fromReport('__tests__/fixtures/tools/npm-audit-omit-dev.json')
    expect(fromFile.title).toBe(
      '2 advisories at or above low: 2 high (npm reports 1 vulnerable package)'
    )
    // yarn's line-per-record reports are recognised too.
    const fromYarn = await fromReport('__tests__/fixtures/tools/yarn-audit-findings.ndjson')
    expect(fromYarn.title).toBe('4 advisories at or above low: 1 critical, 2 high, 1 moderate')
    const fromYarn4 = await fromReport(
      '__tests__/fixtures/tools/yarn-berry-audit-production.ndjson'
    )
    expect(fromYarn4.title).toBe('2 advisories at or above low: 2 high')
    const failedEarlier = await fromReport('__tests__/fixtures/tools/npm-audit-error-500.json')
    expect(failedEarlier).toMatchObject({
      conclusion: 'failure',
      title: expect.stringContaining('npm audit failed: 500')
    })
  })
})

describe('npm-audit on a pnpm project, with the real pnpm (12)', () => {
  let pnpmProject: string
  beforeAll(() => {
    pnpmProject = join(temp.dir, 'shop-pnpm')
    cpSync(new URL('../../fixtures/audit-project-pnpm', import.meta.url), pnpmProject, {
      recursive: true
    })
  })

  it('findings with installed versions, annotated on their pnpm-lock.yaml lines', async () => {
    server = await startAdvisoryServer()
    const outcome = await audit({ 'fail-on': 'high' }, [], pnpmProject)
    expect(outcome.title).toBe('3 advisories at or above high: 1 critical, 2 high; 1 below')
    expect(outcome.summary).toContain('| critical | `minimist` | 1.2.0 |')
    expect(outcome.summary).toContain('| >=0.2.4 |')
    const lockLines = readFileSync(join(pnpmProject, 'pnpm-lock.yaml'), 'utf8').split('\n')
    expect(outcome.annotations[0]).toMatchObject({
      path: 'pnpm-lock.yaml',
      title: 'critical: GHSA-xvch-5gv4-984h'
    })
    expect(lockLines[outcome.annotations[0]!.line - 1]).toBe('  minimist@1.2.0:')
    expect(bulkRequest()!.body).toBe('{"lodash":["4.17.15"],"minimist":["1.2.0"]}')
  })

  it('omit: [dev] runs --prod; a failing endpoint fails the gate with pnpm’s reason', async () => {
    server = await startAdvisoryServer()
    expect((await audit({ omit: ['dev'], 'fail-on': 'critical' }, [], pnpmProject)).title).toBe(
      'No vulnerability at or above critical in 1 dependency (2 high)'
    )
    server.mode = { kind: 'status', status: 500 }
    expect((await audit({}, [], pnpmProject)).title).toMatch(
      /^pnpm audit failed: The audit endpoint \(at http:\/\/127\.0\.0\.1:\d+\/-\/npm\/v1\/security\/advisories\/bulk\) responded with 500/
    )
    expect((await audit({ workspaces: ['web'] }, [], pnpmProject)).title).toBe(
      'pnpm audit cannot audit single workspaces: use workspaces: true or none'
    )
  })
})

/** yarn 1 and yarn 4 from this project's dev dependencies: `yarn` on PATH is whichever a test puts first. */
function yarnOnPath(name: string, script: string): string {
  const bin = join(temp.dir, `bin-${name}`)
  mkdirSync(bin, { recursive: true })
  writeFileSync(
    join(bin, 'yarn'),
    `#!/bin/sh\nexec "${process.execPath}" "${resolve(script)}" "$@"\n`
  )
  chmodSync(join(bin, 'yarn'), 0o755)
  return `${bin}:${resolve('node_modules/.bin')}:${process.env.PATH}`
}

describe('npm-audit on a yarn 1 project, with the real yarn 1', () => {
  // yarn 1 posts its audit to https://registry.yarnpkg.com whatever it is told: a CONNECT proxy
  // tunnels it to a local TLS advisory server, whose certificate it is given to trust.
  let yarnProject: string
  let tlsServer: AdvisoryServer
  let proxy: ConnectProxy
  let yarnEnv: Record<string, string>
  beforeAll(async () => {
    yarnProject = join(temp.dir, 'shop-yarn')
    cpSync(new URL('../../fixtures/audit-project-yarn', import.meta.url), yarnProject, {
      recursive: true
    })
    const certificate = await generate([{ name: 'commonName', value: 'registry.yarnpkg.com' }], {
      keySize: 2048,
      algorithm: 'sha256',
      extensions: [
        { name: 'subjectAltName', altNames: [{ type: 2, value: 'registry.yarnpkg.com' }] }
      ]
    })
    tlsServer = await startAdvisoryServer({
      tls: { key: certificate.private, cert: certificate.cert }
    })
    proxy = await startConnectProxy(Number(new URL(tlsServer.url).port))
    writeFileSync(join(temp.dir, 'yarn-ca.pem'), certificate.cert)
    yarnEnv = {
      PATH: yarnOnPath('yarn1', 'node_modules/yarn/bin/yarn.js'),
      npm_config_https_proxy: proxy.url,
      npm_config_cafile: join(temp.dir, 'yarn-ca.pem'),
      YARN_CACHE_FOLDER: join(temp.dir, 'yarn-cache')
    }
  })
  afterAll(async () => {
    await tlsServer.close()
    await proxy.close()
  })
  beforeEach(() => {
    tlsServer.mode = { kind: 'ok' }
    tlsServer.legacyEndpoints = 'serve'
  })

  const yarnAudit = (options: Record<string, unknown>, waivers: ReturnType<typeof waiver>[] = []) =>
    audit({ registry: undefined, ...options }, waivers, yarnProject, yarnEnv)

  it('findings from yarn audit --json, annotated on their yarn.lock entries; waivers by CVE id', async () => {
    server = await startAdvisoryServer()
    const outcome = await yarnAudit({ 'fail-on': 'high' }, [waiver({ id: 'CVE-2020-8203' })])
    expect(outcome.title).toBe('2 advisories at or above high: 1 critical, 1 high; 1 below')
    expect(outcome.summary).toContain('| critical | `minimist` | 1.2.0 |')
    expect(outcome.summary).toContain('GHSA-p6mc-m468-83gw in `lodash` waived by @security')
    const lockLines = readFileSync(join(yarnProject, 'yarn.lock'), 'utf8').split('\n')
    expect(outcome.annotations[0]).toMatchObject({ path: 'yarn.lock', level: 'failure' })
    expect(lockLines[outcome.annotations[0]!.line - 1]).toBe('minimist@1.2.0:')
    expect(proxy.tunnels).toContain('registry.yarnpkg.com:443')
    expect(tlsServer.requests.map((request) => request.url)).toContain('/-/npm/v1/security/audits')
  })

  it('omit: [dev] leaves out what only devDependencies reach, which yarn 1 itself does not', async () => {
    server = await startAdvisoryServer()
    const outcome = await yarnAudit({ omit: ['dev'] })
    expect(outcome.title).toBe('2 advisories at or above low: 2 high')
    expect(JSON.parse(tlsServer.requests.at(-1)!.body).requires).toEqual({ lodash: '4.17.15' })
  })

  it.each([
    [
      'the retired endpoint (410)',
      'retired',
      'the registry has retired the audit endpoint yarn 1 uses'
    ],
    [
      'a 500',
      'status',
      'yarn audit failed: ResponseError: Request failed "500 Internal Server Error"'
    ],
    ['a dropped connection', 'drop', 'socket hang up']
  ])('%s fails the gate with the reason', async (_name, kind, reason) => {
    server = await startAdvisoryServer()
    if (kind === 'retired') tlsServer.legacyEndpoints = 'retired'
    if (kind === 'status') tlsServer.mode = { kind: 'status', status: 500 }
    if (kind === 'drop') tlsServer.mode = { kind: 'drop' }
    const outcome = await yarnAudit({})
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toContain(reason)
  })

  it('registry and single workspaces are refused rather than ignored', async () => {
    server = await startAdvisoryServer()
    expect((await yarnAudit({ registry: 'https://npm.example.test/' })).title).toMatch(
      /^yarn 1 cannot audit against another registry/
    )
    expect((await yarnAudit({ workspaces: ['web'] })).title).toBe(
      'yarn audit cannot audit single workspaces: use workspaces: true or none'
    )
  })
})

describe('npm-audit on a yarn 4 project, with the real yarn 4', () => {
  let berryProject: string
  beforeAll(() => {
    berryProject = join(temp.dir, 'shop-berry')
    cpSync(new URL('../../fixtures/audit-project-yarn-berry', import.meta.url), berryProject, {
      recursive: true
    })
    // The version a yarn 2+ project pins, as it pins it.
    writeFileSync(
      join(berryProject, '.yarnrc.yml'),
      `yarnPath: ${resolve('node_modules/@yarnpkg/cli-dist/bin/yarn.js')}\nenableTelemetry: false\nenableGlobalCache: false\n`
    )
  })
  // yarn 1 first on PATH, as on a runner: the project's yarnPath must decide.
  const berryAudit = (
    options: Record<string, unknown>,
    waivers: ReturnType<typeof waiver>[] = []
  ) =>
    audit(options, waivers, berryProject, {
      PATH: yarnOnPath('yarn1', 'node_modules/yarn/bin/yarn.js')
    })

  it('findings from yarn npm audit --recursive, through the audit registry given', async () => {
    server = await startAdvisoryServer()
    const outcome = await berryAudit({ 'fail-on': 'critical' })
    expect(outcome.title).toBe('1 advisory at or above critical: 1 critical; 3 below')
    expect(outcome.summary).toContain(
      '| critical | `minimist` | 1.2.0 | [GHSA-xvch-5gv4-984h](https://github.com/advisories/GHSA-xvch-5gv4-984h) Prototype Pollution in minimist | shop@workspace:. | not reported |'
    )
    const lockLines = readFileSync(join(berryProject, 'yarn.lock'), 'utf8').split('\n')
    expect(lockLines[outcome.annotations[0]!.line - 1]).toBe('"minimist@npm:1.2.0":')
    expect(bulkRequest()!.body).toBe('{"lodash":["4.17.15"],"minimist":["1.2.0"]}')
  })

  it('omit: [dev] is --environment production; a failing endpoint fails the gate', async () => {
    server = await startAdvisoryServer()
    expect((await berryAudit({ omit: ['dev'], 'fail-on': 'critical' })).title).toBe(
      'No vulnerability at or above critical (2 high)'
    )
    expect(bulkRequest()!.body).toBe('{"lodash":["4.17.15"]}')
    server.mode = { kind: 'status', status: 500 }
    expect(await berryAudit({})).toMatchObject({
      conclusion: 'failure',
      title:
        // A 500 is transient: retried twice before the gate fails with the reason.
        'yarn npm audit failed: YN0035: advisory service unavailable (HTTP 500 (Internal Server Error)) (3 attempts)'
    })
    server.mode = { kind: 'drop' }
    expect((await berryAudit({})).title).toBe(
      'yarn npm audit failed: YN0001: RequestError: socket hang up (3 attempts)'
    )
  })
})
