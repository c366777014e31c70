import { cpSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { CHECKS } from '../../src/checks/index.js'
import { npmAuditCheck } from '../../src/checks/npm-audit.js'
import { runPlan } from '../../src/engine/run-plan.js'
import { exec } from '../../src/util/exec.js'
import { Redactor } from '../../src/util/redact.js'
import { startAdvisoryServer } from '../helpers/advisory-server.js'
import type { AdvisoryServer } from '../helpers/advisory-server.js'
import { tempDir, writeTree } from '../helpers/fs.js'
import { makeGate, makePlan, makeWorkspace } from '../helpers/plan.js'

const temp = tempDir('rg-audit-')
let project: string
let server: AdvisoryServer
afterAll(temp.cleanup)
beforeAll(() => {
  // lodash 4.17.15 (production) and minimist 1.2.0 (dev), locked.
  project = join(temp.dir, 'shop')
  cpSync(new URL('../fixtures/audit-project', import.meta.url), project, { recursive: true })
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

/** The real npm, asked through the gate, against the local advisory server. */
async function audit(
  options: Record<string, unknown>,
  waivers: ReturnType<typeof waiver>[] = [],
  cwd = project
) {
  server ??= await startAdvisoryServer()
  const env = {
    // pnpm is this project's dev dependency; npm comes with node.
    PATH: `${resolve('node_modules/.bin')}:${process.env.PATH}`,
    HOME: temp.dir,
    npm_config_cache: join(temp.dir, 'npm-cache'),
    npm_config_fetch_retries: '0',
    npm_config_update_notifier: 'false'
  }
  return npmAuditCheck(
    makeGate({
      id: 'audit',
      check: 'npm-audit',
      with: { registry: server.url, ...options },
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
    expect(outcome.title).toBe('3 vulnerabilities at or above high: 1 critical, 2 high; 1 below')
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
          now: new Date()
        }
      }
    )
    expect(report.gates[0]).toMatchObject({ conclusion: 'timed_out', blocking: true })
    expect(Date.now() - started).toBeLessThan(12_000)
  })

  it('no lockfile, or a yarn project, fails with the reason; report-file reads an earlier report', async () => {
    server = await startAdvisoryServer()
    writeTree(temp.dir, {
      'nolock/package.json': '{"name":"x","version":"1.0.0"}',
      'yarn/package.json': '{"name":"z","version":"1.0.0"}',
      'yarn/yarn.lock': '# yarn lockfile v1\n'
    })
    expect((await audit({}, [], join(temp.dir, 'nolock'))).title).toBe('No lockfile in .')
    expect((await audit({}, [], join(temp.dir, 'yarn'))).title).toBe(
      'yarn projects are not supported by npm-audit yet'
    )
    // From a package of a monorepo, the lockfile at the repository root decides.
    writeTree(temp.dir, { 'yarn/packages/web/package.json': '{"name":"web","version":"1.0.0"}' })
    expect((await audit({ cwd: 'packages/web' }, [], join(temp.dir, 'yarn'))).title).toBe(
      'yarn projects are not supported by npm-audit yet'
    )
    const fromFile = await audit(
      { 'report-file': '__tests__/fixtures/tools/npm-audit-omit-dev.json' },
      [],
      process.cwd()
    )
    expect(fromFile.title).toBe('2 vulnerabilities at or above low: 2 high')
    const failedEarlier = await audit(
      { 'report-file': '__tests__/fixtures/tools/npm-audit-error-500.json' },
      [],
      process.cwd()
    )
    expect(failedEarlier).toMatchObject({
      conclusion: 'failure',
      title: expect.stringContaining('npm audit failed: 500')
    })
  })
})

describe('npm-audit on a pnpm project, with the real pnpm', () => {
  let pnpmProject: string
  beforeAll(() => {
    pnpmProject = join(temp.dir, 'shop-pnpm')
    cpSync(new URL('../fixtures/audit-project-pnpm', import.meta.url), pnpmProject, {
      recursive: true
    })
  })

  it('findings with installed versions, annotated on their pnpm-lock.yaml lines', async () => {
    server = await startAdvisoryServer()
    const outcome = await audit({ 'fail-on': 'high' }, [], pnpmProject)
    expect(outcome.title).toBe('3 vulnerabilities at or above high: 1 critical, 2 high; 1 below')
    expect(outcome.summary).toContain('| critical | `minimist` | 1.2.0 |')
    const lockLines = readFileSync(join(pnpmProject, 'pnpm-lock.yaml'), 'utf8').split('\n')
    expect(outcome.annotations[0]).toMatchObject({
      path: 'pnpm-lock.yaml',
      title: 'critical: GHSA-xvch-5gv4-984h'
    })
    expect(lockLines[outcome.annotations[0]!.line - 1]).toBe('  minimist@1.2.0:')
    expect(server.requests.map((request) => request.url)).toContain(
      '/-/npm/v1/security/audits/quick'
    )
  })

  it('omit: [dev] runs --prod; a waiver by CVE id matches; a failing endpoint fails the gate', async () => {
    server = await startAdvisoryServer()
    expect((await audit({ omit: ['dev'], 'fail-on': 'critical' }, [], pnpmProject)).title).toBe(
      'No vulnerability at or above critical in 2 dependencies (2 high)'
    )
    const byCve = await audit(
      { 'fail-on': 'critical' },
      [waiver({ id: 'CVE-2021-44906' })],
      pnpmProject
    )
    expect(byCve).toMatchObject({
      conclusion: 'success',
      title: expect.stringContaining('1 waived')
    })
    server.mode = { kind: 'status', status: 500 }
    expect((await audit({}, [], pnpmProject)).title).toMatch(
      /^pnpm audit failed: The audit endpoint .* responded with 500/
    )
    expect((await audit({ workspaces: ['web'] }, [], pnpmProject)).title).toBe(
      'pnpm audit cannot audit single workspaces: use workspaces: true or none'
    )
  })
})
