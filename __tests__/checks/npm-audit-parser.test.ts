import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import {
  AuditDidNotRun,
  parseAuditV6Json,
  parseNpmAuditJson
} from '../../src/checks/parsers/npm-audit.js'

// Real `npm audit --json` output (npm 11) against the tests' local advisory server.
const recorded = (name: string) =>
  readFileSync(new URL(`../fixtures/tools/npm-audit-${name}.json`, import.meta.url), 'utf8')

describe('parseNpmAuditJson on real npm output', () => {
  it('one finding per advisory, worst first, with path, range and fix', () => {
    const { findings, dependencies } = parseNpmAuditJson(recorded('findings'))
    expect(dependencies).toBe(2)
    expect(
      findings.map((finding) => [finding.package, finding.advisoryId, finding.severity])
    ).toEqual([
      ['minimist', 'GHSA-xvch-5gv4-984h', 'critical'],
      ['lodash', 'GHSA-35jh-r3h4-6jhm', 'high'],
      ['lodash', 'GHSA-p6mc-m468-83gw', 'high'],
      ['minimist', 'GHSA-vh95-rmgr-6w4m', 'moderate']
    ])
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

const recordedPnpm = (name: string) =>
  readFileSync(new URL(`../fixtures/tools/pnpm-audit-${name}.json`, import.meta.url), 'utf8')

describe('parseAuditV6Json on real pnpm output', () => {
  it('findings with installed versions, paths, CVE aliases and the patched range', () => {
    const { findings, dependencies } = parseAuditV6Json(recordedPnpm('findings'), 'pnpm')
    expect(dependencies).toBe(3)
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
      aliases: ['CVE-2021-44906'],
      paths: ['.>minimist'],
      direct: true,
      fix: { available: true, version: '>=0.2.4 <1.0.0 || >=1.2.6' }
    })
    expect(
      parseAuditV6Json(recordedPnpm('prod'), 'pnpm').findings.map((finding) => finding.package)
    ).toEqual(['lodash', 'lodash'])
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
  ])('%s: the audit did not run', (name, message) => {
    expect(() => parseAuditV6Json(recordedPnpm(name), 'pnpm')).toThrow(AuditDidNotRun)
    expect(() => parseAuditV6Json(recordedPnpm(name), 'pnpm')).toThrow(message)
  })
})
