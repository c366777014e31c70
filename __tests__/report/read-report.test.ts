import { describe, expect, it } from '@jest/globals'
import { parseReport } from '../../src/report/read-report.js'
import { makeReport, makeResult } from '../helpers/plan.js'

describe('parseReport (untrusted input)', () => {
  it('recomputes met, blocking, counts and the result from each gate', () => {
    const report = makeReport([makeResult({ id: 'a', conclusion: 'failure' })])
    const forged = JSON.stringify({
      ...report,
      result: 'passed',
      failedGates: [],
      gates: [{ ...report.gates[0], met: true, blocking: false }]
    })
    expect(parseReport(forged, 'r.json')).toMatchObject({
      result: 'failed',
      failedGates: ['a'],
      counts: { failure: 1, blocking: 1 }
    })
  })

  it.each([
    ['not JSON', '{', /r.json is not JSON/],
    ['another tool', JSON.stringify({ tool: { name: 'x' } }), /not a Release Gates report/],
    [
      'a bad conclusion',
      JSON.stringify(makeReport([makeResult({ id: 'a', conclusion: 'passed' as never })])),
      /gates\[0\].conclusion is not a check-run conclusion/
    ],
    [
      'a missing field',
      JSON.stringify(makeReport([{ ...makeResult({ id: 'a' }), title: 3 as never }])),
      /gates\[0\].title must be a string/
    ]
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseReport(text, 'r.json')).toThrow(message)
  })
})
