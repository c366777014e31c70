import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { CHECKS } from '../../src/checks/index.js'

const schema = JSON.parse(readFileSync('gates/schema.json', 'utf8'))

describe('gates/schema.json and the check registry', () => {
  it('lists exactly the registered kinds, each with its own `with` definition', () => {
    const kinds = Object.keys(CHECKS).sort()
    expect([...schema.$defs.gate.properties.check.enum].sort()).toEqual(kinds)
    for (const kind of kinds) expect(schema.$defs[`with-${kind}`]).toBeDefined()
    const wired = schema.$defs.gate.allOf
      .map(
        (rule: { if: { properties: { check: { const: string } } } }) =>
          rule.if.properties.check.const
      )
      .sort()
    expect(wired).toEqual(kinds)
  })

  it('is draft 2020-12 with a stable $id', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
    expect(schema.$id).toBe('urn:release-gates:gates-file:1')
  })
})
