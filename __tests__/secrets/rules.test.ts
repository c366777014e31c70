import { describe, expect, it } from '@jest/globals'
import { loadSecretRules } from '../../src/secrets/rules.js'
import { scanText } from '../../src/secrets/scan.js'

// Binary key-store rules (`format: pkcs12`) have fixtures instead: see pkcs12.test.ts.
const rules = loadSecretRules().filter((rule) => !rule.pkcs12Passwords)

describe('gates/secret-rules.yml', () => {
  it('has unique ids, keywords, and examples both ways for every rule', () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length)
    expect(rules.length).toBeGreaterThanOrEqual(60)
    for (const rule of rules) {
      expect([rule.id, rule.keywords.length > 0]).toEqual([rule.id, true])
      expect([rule.id, rule.examples.match.length > 0, rule.examples.noMatch.length > 0]).toEqual([
        rule.id,
        true,
        true
      ])
    }
  })

  describe.each(rules.map((rule) => [rule.id, rule] as const))('%s', (_id, rule) => {
    it.each(rule.examples.match)('matches %s', (example) => {
      expect(scanText(example, [rule]).map((match) => match.ruleId)).toContain(rule.id)
    })
    it.each(rule.examples.noMatch)('does not match %s', (example) => {
      expect(scanText(example, [rule])).toEqual([])
    })
  })
})
