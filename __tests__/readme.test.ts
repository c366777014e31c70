import { readFileSync } from 'node:fs'
import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'

const readme = readFileSync('README.md', 'utf8')
const schema = JSON.parse(readFileSync('gates/schema.json', 'utf8'))
const action = parse(readFileSync('action.yml', 'utf8')) as {
  inputs: Record<string, unknown>
  outputs: Record<string, unknown>
}

/** Every property name the schema defines, by definition. */
function schemaKeys(): Map<string, string[]> {
  const keys = new Map<string, string[]>()
  const visit = (where: string, node: unknown): void => {
    if (!node || typeof node !== 'object') return
    const properties = (node as { properties?: Record<string, unknown> }).properties
    if (properties) keys.set(where, [...(keys.get(where) ?? []), ...Object.keys(properties)])
    for (const value of Object.values(node)) visit(where, value)
  }
  visit('root', { properties: schema.properties })
  for (const [name, definition] of Object.entries(schema.$defs)) visit(name, definition)
  return keys
}

describe('README stays in step with the schema and action.yml', () => {
  it('documents every key of the gates file', () => {
    const missing: string[] = []
    for (const [where, keys] of schemaKeys()) {
      for (const key of keys) if (!readme.includes(`\`${key}\``)) missing.push(`${where}.${key}`)
    }
    expect(missing).toEqual([])
  })

  it('documents every check kind, action input and output', () => {
    for (const kind of schema.$defs.gate.properties.check.enum)
      expect(readme).toContain(`### \`${kind}\``)
    // A table row naming it (Prettier pads the cells).
    const row = (name: string) => new RegExp(`^\\|\\s*\`${name}\`\\s*\\|`, 'm')
    for (const input of Object.keys(action.inputs)) expect(readme).toMatch(row(input))
    for (const output of Object.keys(action.outputs)) expect(readme).toMatch(row(output))
  })

  it('the quick start is two commands: the main job and the tests', () => {
    const quickStart = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/
      .exec(readme)![1]!
      .trim()
      .split('\n')
    expect(quickStart).toHaveLength(2)
    expect(quickStart[0]).toMatch(/^npm ci && node dist\/cli\.js run\b/)
    expect(quickStart[1]).toMatch(/^npm test\b/)
  })
})
