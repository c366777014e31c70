import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import {
  AuditDidNotRun,
  parseAuditV6Json,
  parseNpmAuditJson
} from '../../../src/checks/npm-audit/parse.js'
import { auditErrorReason } from '../../../src/checks/npm-audit/errors.js'
import {
  parseYarnBerryAudit,
  parseYarnClassicAudit
} from '../../../src/checks/npm-audit/parse-yarn.js'

// Every tool reports the fixture's four advisories (lodash 4.17.15, minimist 1.2.0), worst first.
const WORST_FIRST = [
  ['minimist', 'GHSA-xvch-5gv4-984h', 'critical'],
  ['lodash', 'GHSA-35jh-r3h4-6jhm', 'high'],
  ['lodash', 'GHSA-p6mc-m468-83gw', 'high'],
  ['minimist', 'GHSA-vh95-rmgr-6w4m', 'moderate']
]

// Real `npm audit --json` output (npm 11) against the tests' local advisory server.
const recorded = (name: string) =>
  readFileSync(new URL(`../../fixtures/tools/npm-audit-${name}.json`, import.meta.url), 'utf8')

describe('parseNpmAuditJson on real npm output', () => {
  it('one finding per advisory, worst first, with path, range and fix', () => {
    const { findings, dependencies } = parseNpmAuditJson(recorded('findings'))
    expect(dependencies).toBe(2)
    expect(
      findings.map((finding) => [finding.package, finding.advisoryId, finding.severity])
    ).toEqual(WORST_FIRST)
    expect(findings[1]).toMatchObject({
      title: 'Command Injection in lodash',
      url: 'https://github.com/advisories/GHSA-35jh-r3h4-6jhm',
      range: '<4.17.21',
      paths: ['node_modules/lodash'],
      direct: true,
      fix: { available: true, name: 'lodash', version: '4.18.1', major: false }
    })
  })

  it('--omit=dev leaves out the dev dependency', () => {
    expect(
      parseNpmAuditJson(recorded('omit-dev')).findings.map((finding) => finding.package)
    ).toEqual(['lodash', 'lodash'])
  })

  it.each([
    [
      'error-500',
      'npm audit failed: 500 Internal Server Error - POST http://127.0.0.1:PORT/-/npm/v1/security/advisories/bulk - advisory service unavailable'
    ],
    [
      'error-drop',
      'npm audit failed: request to http://127.0.0.1:PORT/-/npm/v1/security/advisories/bulk failed, reason: socket hang up'
    ]
  ])('%s: the audit did not run, which is never "no vulnerabilities"', (name, message) => {
    expect(() => parseNpmAuditJson(recorded(name))).toThrow(AuditDidNotRun)
    expect(() => parseNpmAuditJson(recorded(name))).toThrow(message)
  })

  it('no output or something else entirely is not a clean audit either', () => {
    expect(() => parseNpmAuditJson('')).toThrow('npm audit did not print JSON (no output)')
    expect(() => parseNpmAuditJson('{"auditReportVersion":1}')).toThrow(
      'expected auditReportVersion 2'
    )
  })
})

const recordedPnpm = (name: string, version = 'pnpm') =>
  readFileSync(
    new URL(`../../fixtures/tools/${version}-audit-${name}.json`, import.meta.url),
    'utf8'
  )

describe('parseAuditV6Json on real pnpm output', () => {
  it('pnpm 12 (bulk endpoint): installed versions, paths and the patched range it infers', () => {
    const { findings, dependencies } = parseAuditV6Json(recordedPnpm('findings'), 'pnpm')
    expect(dependencies).toBe(2)
    expect(
      findings.map((finding) => [
        finding.package,
        finding.advisoryId,
        finding.severity,
        finding.installed
      ])
    ).toEqual([
      ['minimist', 'GHSA-xvch-5gv4-984h', 'critical', '1.2.0'],
      ['lodash', 'GHSA-35jh-r3h4-6jhm', 'high', '4.17.15'],
      ['lodash', 'GHSA-p6mc-m468-83gw', 'high', '4.17.15'],
      ['minimist', 'GHSA-vh95-rmgr-6w4m', 'moderate', '1.2.0']
    ])
    expect(findings[0]).toMatchObject({
      paths: ['.>minimist'],
      direct: true,
      fix: { available: true, version: '>=0.2.4' }
    })
    expect(findings[0]!.aliases).toBeUndefined()
    expect(
      parseAuditV6Json(recordedPnpm('prod'), 'pnpm').findings.map((finding) => finding.package)
    ).toEqual(['lodash', 'lodash'])
  })

  it('pnpm 10 (quick-audit endpoint): CVE aliases as well', () => {
    const { findings } = parseAuditV6Json(recordedPnpm('findings', 'pnpm10'), 'pnpm')
    expect(findings[0]).toMatchObject({
      advisoryId: 'GHSA-xvch-5gv4-984h',
      aliases: ['CVE-2021-44906'],
      fix: { available: true, version: '>=0.2.4 <1.0.0 || >=1.2.6' }
    })
  })

  it.each([
    [
      'error-500',
      'pnpm audit failed: The audit endpoint (at http://127.0.0.1:PORT/-/npm/v1/security/audits/quick) responded with 500'
    ],
    [
      'error-drop',
      'pnpm audit failed: request to http://127.0.0.1:PORT/-/npm/v1/security/audits/quick failed, reason: socket hang up'
    ]
  ])('pnpm 10, %s: the audit did not run', (name, message) => {
    expect(() => parseAuditV6Json(recordedPnpm(name, 'pnpm10'), 'pnpm')).toThrow(AuditDidNotRun)
    expect(() => parseAuditV6Json(recordedPnpm(name, 'pnpm10'), 'pnpm')).toThrow(message)
  })
})

const recordedYarn = (name: string) =>
  readFileSync(new URL(`../../fixtures/tools/${name}`, import.meta.url), 'utf8')

describe('parseYarnClassicAudit on real yarn 1 output', () => {
  it('one finding per advisory and version, with CVE aliases, worst first', () => {
    const { findings, dependencies } = parseYarnClassicAudit(
      recordedYarn('yarn-audit-findings.ndjson')
    )
    expect(dependencies).toBe(2)
    expect(
      findings.map((finding) => [finding.package, finding.advisoryId, finding.installed])
    ).toEqual([
      ['minimist', 'GHSA-xvch-5gv4-984h', '1.2.0'],
      ['lodash', 'GHSA-35jh-r3h4-6jhm', '4.17.15'],
      ['lodash', 'GHSA-p6mc-m468-83gw', '4.17.15'],
      ['minimist', 'GHSA-vh95-rmgr-6w4m', '1.2.0']
    ])
    expect(findings[0]).toMatchObject({
      aliases: ['CVE-2021-44906'],
      paths: ['minimist'],
      direct: true,
      severity: 'critical',
      fix: { available: true, version: '>=0.2.4 <1.0.0 || >=1.2.6' }
    })
  })

  it('--groups dependencies: yarn 1 still sends, and reports, the dev dependency', () => {
    // Why the gate filters yarn 1's findings itself for omit: [dev].
    expect(
      parseYarnClassicAudit(recordedYarn('yarn-audit-groups-dependencies.ndjson')).findings.map(
        (finding) => finding.package
      )
    ).toContain('minimist')
  })

  it.each([
    [
      'retired',
      'yarn audit failed: https://registry.yarnpkg.com/-/npm/v1/security/audits: Request "https://registry.yarnpkg.com/-/npm/v1/security/audits" returned a 410: the registry has retired the audit endpoint yarn 1 uses'
    ],
    [
      'error-drop',
      'yarn audit failed: https://registry.yarnpkg.com/-/npm/v1/security/audits: socket hang up'
    ],
    ['error-500', 'yarn audit failed: ResponseError: Request failed "500 Internal Server Error"']
  ])('%s: the audit did not run', (name, message) => {
    const stdout = name === 'error-500' ? '' : recordedYarn(`yarn-audit-${name}.ndjson`)
    const stderr = recordedYarn(`yarn-audit-${name}.stderr`)
    expect(() => parseYarnClassicAudit(stdout, stderr)).toThrow(AuditDidNotRun)
    expect(() => parseYarnClassicAudit(stdout, stderr)).toThrow(message)
  })
})

describe('parseYarnBerryAudit on real yarn 4 output', () => {
  it('a finding per advisory and tree version; the fix is not reported', () => {
    const { findings } = parseYarnBerryAudit(recordedYarn('yarn-berry-audit-findings.ndjson'), 1)
    expect(
      findings.map((finding) => [finding.package, finding.advisoryId, finding.severity])
    ).toEqual(WORST_FIRST)
    expect(findings[0]).toMatchObject({
      installed: '1.2.0',
      range: '>=1.0.0 <1.2.6 || <0.2.4',
      paths: ['shop@workspace:.'],
      direct: true,
      fix: { available: 'unknown' }
    })
    expect(
      parseYarnBerryAudit(recordedYarn('yarn-berry-audit-production.ndjson'), 1).findings
    ).toHaveLength(2)
  })

  it('no output is clean only when yarn exited 0', () => {
    expect(parseYarnBerryAudit('', 0).findings).toEqual([])
    expect(() => parseYarnBerryAudit('', 1, '')).toThrow(
      'yarn npm audit failed (exit 1): no report'
    )
  })

  it.each([
    ['error-500', 'YN0035: advisory service unavailable (HTTP 500 (Internal Server Error))'],
    ['error-drop', 'YN0001: RequestError: socket hang up']
  ])('%s: yarn reports it in plain lines; the audit did not run', (name, reason) => {
    const stdout = recordedYarn(`yarn-berry-audit-${name}.ndjson`)
    expect(() => parseYarnBerryAudit(stdout, 1)).toThrow(AuditDidNotRun)
    expect(() => parseYarnBerryAudit(stdout, 1)).toThrow(`yarn npm audit failed: ${reason}`)
  })

  it('a crash with nothing on stdout: the error named on stderr', () => {
    const stderr =
      'node:internal/process/promises:391\n\nLs [RequestError]: socket hang up\n    at ClientRequest'
    expect(() => parseYarnBerryAudit('', 1, stderr)).toThrow(
      'yarn npm audit failed (exit 1): RequestError: socket hang up'
    )
  })

  it('a line that is not JSON (yarn’s own error) is not a report', () => {
    expect(() =>
      parseYarnBerryAudit(
        "Internal Error: shop@workspace:.: This package doesn't seem to be present in your lockfile",
        1
      )
    ).toThrow('yarn npm audit failed: Internal Error: shop@workspace:.')
  })
})

describe('auditErrorReason on real stderr', () => {
  it.each([
    [
      'pnpm-audit-error-500.stderr',
      'The audit endpoint (at http://127.0.0.1:PORT/-/npm/v1/security/advisories/bulk) responded with 500: {"error":"advisory service unavailable"}'
    ],
    [
      'pnpm-audit-error-drop.stderr',
      'Failed to request the audit endpoint (at http://127.0.0.1:PORT/-/npm/v1/security/advisories/bulk): error sending request for url (http://127.0.0.1:PORT/-/npm/v1/security/advisories/bulk)'
    ],
    ['yarn-audit-error-500.stderr', 'ResponseError: Request failed "500 Internal Server Error"']
  ])('%s', (file, reason) => {
    expect(auditErrorReason(recordedYarn(file))).toBe(reason)
  })

  it('otherwise the last line printed', () => {
    expect(auditErrorReason('warming up\nERR! it broke\n\n')).toBe('ERR! it broke')
    expect(auditErrorReason('')).toBeUndefined()
  })
})
