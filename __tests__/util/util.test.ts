import { describe, expect, it } from '@jest/globals'
import { didYouMean, editDistance } from '../../src/util/did-you-mean.js'
import { formatDuration, parseDuration } from '../../src/util/duration.js'
import { Redactor } from '../../src/util/redact.js'
import { codeBlock, stripAnsi } from '../../src/util/text.js'
import { exec, tailLines } from '../../src/util/exec.js'

describe('did-you-mean', () => {
  it('measures edits and suggests the closest name within reach', () => {
    expect(editDistance('comand', 'command')).toBe(1)
    expect(didYouMean('requried', ['required', 'name', 'with'])).toBe('required')
    expect(didYouMean('prod', ['staging', 'production'])).toBe('production')
    expect(didYouMean('zzz', ['staging', 'production'])).toBeUndefined()
    expect(didYouMean('st', ['staging', 'stable'])).toBeUndefined()
  })
})

describe('durations', () => {
  it('parses seconds and units, and formats for people', () => {
    expect([
      parseDuration(30),
      parseDuration('500ms'),
      parseDuration('2m'),
      parseDuration('1h')
    ]).toEqual([30_000, 500, 120_000, 3_600_000])
    expect(() => parseDuration('5 minutes')).toThrow()
    expect([formatDuration(850), formatDuration(12_340), formatDuration(245_000)]).toEqual([
      '850ms',
      '12.3s',
      '4m 05s'
    ])
  })
})

describe('Redactor', () => {
  it('removes every registered value, longest first, and tells the host about each once', () => {
    const masked: string[] = []
    const redactor = new Redactor((value) => masked.push(value))
    redactor.add('abcd1234')
    redactor.add('abcd1234-extended')
    redactor.add('abcd1234')
    redactor.add('abc') // too short to redact safely
    redactor.add('')
    expect(masked).toEqual(['abcd1234', 'abcd1234-extended'])
    expect(redactor.redact('x abcd1234-extended y abcd1234 abc')).toBe('x *** y *** abc')
    expect(redactor.redactDeep({ a: ['abcd1234'], b: { c: 'q abcd1234' }, n: 3 })).toEqual({
      a: ['***'],
      b: { c: 'q ***' },
      n: 3
    })
  })

  it('treats regex characters in values literally', () => {
    const redactor = new Redactor()
    redactor.add('p@ss.w*rd(1)')
    expect(redactor.redact('p@ss.w*rd(1) and pXssXwrd(1)')).toBe('*** and pXssXwrd(1)')
  })
})

describe('text helpers', () => {
  it('strips colour codes and fences text with a longer fence than it contains', () => {
    expect(stripAnsi('\u001b[1m\u001b[31merror\u001b[39m\u001b[22m TS2322')).toBe('error TS2322')
    expect(codeBlock('plain')).toBe('```text\nplain\n```')
    expect(codeBlock('has ```` four')).toBe('`````text\nhas ```` four\n`````')
    expect(tailLines('a\nb\nc\n\n', 2)).toBe('b\nc')
  })
})

describe('exec', () => {
  it('captures stdout, stderr and both interleaved, with the exit code', async () => {
    const result = await exec('echo out; echo err >&2; exit 4', { shell: true })
    expect(result).toMatchObject({ code: 4, stdout: 'out\n', stderr: 'err\n', killed: false })
    expect(result.output).toBe('out\nerr\n')
  })

  it('keeps only the tail of huge output', async () => {
    const result = await exec(
      ['node', '-e', 'for (let i = 0; i < 20000; i++) console.log("line " + i)'],
      { maxOutputBytes: 1000 }
    )
    expect(result.truncated).toBe(true)
    expect(result.stdout.length).toBeLessThanOrEqual(1000)
    expect(result.stdout).toContain('line 19999')
  })

  it('kills the process tree at its timeout', async () => {
    const started = Date.now()
    const result = await exec('sleep 30 & sleep 30; wait', { shell: true, timeoutMs: 300 })
    expect(result.killed).toBe(true)
    expect(result.code).toBeNull()
    expect(Date.now() - started).toBeLessThan(3000)
  })

  it('passes stdin when given', async () => {
    expect((await exec(['cat'], { input: 'from stdin' })).stdout).toBe('from stdin')
  })
})
