import { describe, expect, it } from '@jest/globals'
import { Redactor } from '../../src/util/redact.js'
import { displayUrl, urlSecrets } from '../../src/util/url.js'
import { compileUserPattern, userPatternProblem } from '../../src/util/user-pattern.js'

describe('Redactor, multi-line values', () => {
  it('masks a PEM key line by line: the runner ignores a multi-line add-mask', () => {
    const masked: string[] = []
    const redactor = new Redactor((value) => masked.push(value))
    const key =
      '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0B\nAQEFAASCBKcwggSjAgEAAoIB\n-----END PRIVATE KEY-----\n'
    redactor.add(key)
    expect(masked).toEqual([
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0B',
      'AQEFAASCBKcwggSjAgEAAoIB',
      '-----END PRIVATE KEY-----'
    ])
    // A tool that prints one line of the key, without the rest.
    expect(redactor.redact('read AQEFAASCBKcwggSjAgEAAoIB from disk')).toBe('read *** from disk')
    expect(redactor.redact(`key: ${key}`)).toBe('key: ***')
  })

  it('redacts keys of objects too, and leaves dates alone', () => {
    const redactor = new Redactor()
    redactor.add('s3cr3t-value')
    const when = new Date('2026-01-01T00:00:00Z')
    expect(redactor.redactDeep({ 's3cr3t-value': 1, when })).toEqual({ '***': 1, when })
  })

  it('the longest value wins where several start at one place; leftmost first; values added later count', () => {
    const redactor = new Redactor()
    redactor.add('abcd')
    redactor.add('abcdefgh')
    expect(redactor.redact('abcdefgh abcdxx xabcd ab')).toBe('*** ***xx x*** ab')
    redactor.add('cdxx')
    expect(redactor.redact('abcdxx bcdxx')).toBe('***xx b***')
    expect(redactor.redact('nothing here')).toBe('nothing here')
  })

  it('20,000 values: each one masked in a report that holds them all', () => {
    const redactor = new Redactor()
    const values = Array.from({ length: 20_000 }, (_, index) => `ghp_${index.toString(36)}Qx9z`)
    for (const value of values) redactor.add(value)
    const report = values.map((value, index) => `${index}: ${value};`).join('\n')
    const redacted = redactor.redact(report)
    expect(redacted.split('\n')).toEqual(values.map((_, index) => `${index}: ***;`))
  })
})

describe('URLs with credentials', () => {
  const url =
    'http://admin:PASSWORD@host.example/health?token=TOKEN&page=2&X-Amz-Signature=abc%2Fdef'

  it('shows the userinfo password and secret-named query values as ***', () => {
    expect(displayUrl(url)).toBe(
      'http://admin:***@host.example/health?token=***&page=2&X-Amz-Signature=***'
    )
    expect(displayUrl('https://host/a?q=1')).toBe('https://host/a?q=1')
    expect(displayUrl('not a url')).toBe('not a url')
  })

  it('names every value to mask, as written and as decoded', () => {
    expect(urlSecrets(url).sort()).toEqual(['PASSWORD', 'TOKEN', 'abc%2Fdef', 'abc/def'].sort())
    expect(urlSecrets('http://u:p%40ss@h/')).toEqual(['p%40ss', 'p@ss'])
  })
})

describe('user patterns run in linear time', () => {
  it('`^(a+)+$` against a long run of a’s and a "!" answers at once', () => {
    const pattern = compileUserPattern('^(a+)+$')
    // A backtracking engine takes exponential time here (minutes at 30 characters).
    expect(pattern.test(`${'a'.repeat(50_000)}!`)).toBe(false)
    expect(pattern.test('aaaa')).toBe(true)
  })

  it('keeps JavaScript syntax: named groups, classes, case folding', () => {
    const matcher = compileUserPattern('(?<file>[^:]+):(?<line>\\d+): (?<message>.+)')
    expect(matcher.exec('src/a.ts:12: unused variable')).toEqual({
      index: 0,
      groups: { file: 'src/a.ts', line: '12', message: 'unused variable' }
    })
    expect(compileUserPattern('todo', { ignoreCase: true }).test('// TODO: later')).toBe(true)
    expect(compileUserPattern('\\bkey\\b').test('monkey')).toBe(false)
  })

  it('refuses what needs backtracking, saying why', () => {
    expect(userPatternProblem('(a)\\1')).toContain(
      'backreferences and lookaround need a backtracking engine'
    )
    expect(userPatternProblem('foo(?=bar)')).toContain('linear time')
    expect(userPatternProblem('[unclosed')).toContain('missing closing ]')
    expect(userPatternProblem('ok|fine')).toBeUndefined()
  })
})
