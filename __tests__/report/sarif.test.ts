import { describe, expect, it } from '@jest/globals'
import { toSarifLog } from '../../src/report/sarif.js'
import type { Finding } from '../../src/model/types.js'
import { makeReport, makeResult } from '../helpers/plan.js'

const waived = { owner: '@alice', expires: '2027-01-01', reason: 'r', location: 'g.yml:1:1' }

const finding = (rule: string, extra: Partial<Finding> = {}): Finding => ({
  rule,
  level: 'failure',
  message: `${rule} broken`,
  blocking: true,
  path: 'src/a.ts',
  line: 3,
  fingerprint: `${rule}-print`,
  ...extra
})

describe('SARIF of a finished report', () => {
  it('leaves out waived findings (code scanning ignores suppressions) and unlocated ones, counting those', () => {
    const log = toSarifLog(
      makeReport([
        makeResult({
          id: 'lint',
          check: 'eslint',
          findings: [
            finding('no-eval'),
            finding('no-console', { blocking: false, waived }),
            finding('no-var', { path: undefined, line: undefined })
          ]
        })
      ])
    )
    expect(log.runs).toHaveLength(1)
    expect(log.runs[0]!.results!.map((result) => result.ruleId)).toEqual(['no-eval'])
    expect(log.runs[0]!.tool.driver.rules!.map((rule) => rule.id)).toEqual(['no-eval'])
    expect(log.runs[0]!.properties).toMatchObject({ findingsWithoutLocation: 1 })
  })

  it('a gate whose only findings are waived gives no run', () => {
    const log = toSarifLog(
      makeReport([
        makeResult({
          id: 'lint',
          check: 'eslint',
          findings: [finding('no-console', { blocking: false, waived })]
        })
      ])
    )
    expect(log.runs).toEqual([])
  })
})
