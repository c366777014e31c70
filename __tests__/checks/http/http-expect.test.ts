import { describe, expect, it } from '@jest/globals'
import { checkHeaders } from '../../../src/checks/http/headers.js'
import {
  expandEnv,
  jsonEquals,
  percentile,
  statusMatches,
  valueAtPath
} from '../../../src/checks/http/expect.js'

describe('http expectations', () => {
  it.each([
    [200, 200, true],
    [204, [200, 204], true],
    [301, '2xx', false],
    [299, '2xx', true],
    [404, '400-499', true],
    [500, '400-499', false]
  ] as const)('status %d against %j: %s', (status, expected, ok) => {
    expect(statusMatches(status, expected as never)).toBe(ok)
  })

  it('reads values at paths, and compares JSON regardless of key order', () => {
    const document = { checks: { db: { status: 'up' } }, items: [{ id: 7 }] }
    expect(valueAtPath(document, 'checks.db.status')).toBe('up')
    expect(valueAtPath(document, 'items[0].id')).toBe(7)
    expect(valueAtPath(document, 'checks.cache.status')).toBeUndefined()
    expect(jsonEquals({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true)
    expect(jsonEquals({ a: 1 }, { a: '1' })).toBe(false)
  })

  it('nearest-rank percentiles', () => {
    const values = [120, 80, 100, 90, 400, 110, 95, 105, 85, 115]
    expect(percentile(values, 50)).toBe(100)
    expect(percentile(values, 95)).toBe(400)
    expect(percentile([42], 95)).toBe(42)
  })

  it('expands ${NAME} from the environment, reporting unset names and each value used', () => {
    const used: string[] = []
    expect(
      expandEnv('Bearer ${TOKEN} ${MISSING}', { TOKEN: 's3cr3t', MISSING: '' }, (value) =>
        used.push(value)
      )
    ).toEqual({ text: 'Bearer s3cr3t ', missing: ['MISSING'] })
    expect(used).toEqual(['s3cr3t'])
  })
})

describe('header rules', () => {
  const headers = {
    'strict-transport-security': 'max-age=63072000; includeSubDomains; preload',
    'x-frame-options': 'sameorigin',
    server: 'cloudflare'
  }
  it('judges values case-insensitively, directive by directive', () => {
    const results = checkHeaders(
      headers,
      {
        'Strict-Transport-Security': {
          'max-age': 31536000,
          'include-subdomains': true,
          preload: true
        },
        'X-Frame-Options': { 'one-of': ['DENY', 'SAMEORIGIN'] },
        'Permissions-Policy': true
      },
      [{ name: 'Server', matches: '\\d' }, 'X-Powered-By']
    )
    expect(results.map((result) => [result.what, result.ok])).toEqual([
      ['header Strict-Transport-Security', true],
      ['header X-Frame-Options', true],
      ['header Permissions-Policy', false],
      ['header Server', true],
      ['header X-Powered-By', true]
    ])
  })
})
