import { describe, expect, it } from '@jest/globals'
import { loadImportRules, wireItem } from '../../src/import/rules.js'

const rules = loadImportRules()

describe('gates/import-rules.yml', () => {
  it('has unique ids and examples both ways for every rule', () => {
    expect(new Set(rules.map((rule) => rule.id)).size).toBe(rules.length)
    for (const rule of rules)
      expect([
        rule.id,
        Boolean(rule.examples?.match?.length),
        Boolean(rule.examples?.['no-match']?.length)
      ]).toEqual([rule.id, true, true])
  })

  describe.each(rules.map((rule) => [rule.id, rule] as const))('%s', (id, rule) => {
    it.each((rule.examples?.match ?? []).map((example) => [example.text, example] as const))(
      'wires %s',
      (_text, example) => {
        const wiring = wireItem(example.text, rules)
        expect(wiring && { rule: wiring.rule, check: wiring.check, with: wiring.with }).toEqual({
          rule: id,
          check: rule.check,
          with: example.with
        })
      }
    )
    it.each(rule.examples?.['no-match'] ?? [])('does not take %s', (text) => {
      expect(wireItem(text, rules)?.rule).not.toBe(id)
    })
  })
})
