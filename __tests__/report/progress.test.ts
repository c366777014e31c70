import { describe, expect, it } from '@jest/globals'
import type { GateResult } from '../../src/model/report.js'
import { Progress } from '../../src/report/progress.js'
import { makeGate, makeResult } from '../helpers/plan.js'

const result = (id: string): GateResult => makeResult({ id })

describe('Progress', () => {
  it('on a terminal redraws one line: N of M done and which gates are running', () => {
    const written: string[] = []
    const progress = new Progress({ write: (text) => written.push(text), isTTY: true })
    progress.start(3)
    progress.handle({ type: 'start', gate: makeGate({ id: 'lint', check: 'command' }) })
    progress.handle({ type: 'start', gate: makeGate({ id: 'tests', check: 'command' }) })
    progress.handle({ type: 'finish', result: result('lint'), done: 1, total: 3 })
    progress.stop()
    const clear = '\r\u001b[K' // back to the line's start, erase it
    expect(written.every((text) => text.startsWith(clear))).toBe(true)
    expect(written[1]!.slice(clear.length)).toMatch(
      /^0\/3 done · running: lint \d+ms, tests \d+ms$/
    )
    expect(written[2]!.slice(clear.length)).toMatch(/^1\/3 done · running: tests \d+ms$/)
    expect(written.at(-1)).toBe(clear) // the line is cleared before the table
  })

  it('in a log prints one line per finished gate', () => {
    const written: string[] = []
    const progress = new Progress({ write: (text) => written.push(text), isTTY: false })
    progress.start(2)
    progress.handle({ type: 'start', gate: makeGate({ id: 'lint', check: 'command' }) })
    progress.handle({ type: 'finish', result: result('lint'), done: 1, total: 2 })
    progress.stop()
    expect(written).toEqual(['✔ lint: pass (1.2s) [1/2]\n'])
  })
})
