import { execFileSync } from 'node:child_process'
import { cpSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { CHECKS } from '../../src/checks/index.js'
import { tempDir } from '../helpers/fs.js'

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

  it('is generated from the kinds: each folder of src/checks with an options schema is a kind', () => {
    const folders = readdirSync('src/checks', { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && entry.name !== 'shared')
      .map((entry) => entry.name)
      .sort()
    expect(folders).toEqual(Object.keys(CHECKS).sort())
    for (const kind of folders)
      expect(schema.$defs[`with-${kind}`]).toEqual(
        JSON.parse(readFileSync(`src/checks/${kind}/options.schema.json`, 'utf8'))
      )
    expect(
      execFileSync(process.execPath, ['scripts/build-schema.mjs', '--check']).toString()
    ).toContain('is what the kinds compose')
    expect(
      execFileSync(process.execPath, ['scripts/build-option-types.mjs', '--check']).toString()
    ).toContain('is what gates/schema.json describes')
  })

  it('the option types a check reads follow its options schema', () => {
    const temp = tempDir('rg-types-')
    try {
      for (const path of ['scripts', 'src', 'gates', 'package.json', '.prettierrc.json'])
        cpSync(path, join(temp.dir, path), { recursive: true })
      symlinkSync(join(process.cwd(), 'node_modules'), join(temp.dir, 'node_modules'))
      const options = join(temp.dir, 'src/checks/typescript/options.schema.json')
      const changed = JSON.parse(readFileSync(options, 'utf8')) as { required?: string[] }
      changed.required = ['projects']
      writeFileSync(options, JSON.stringify(changed))
      const run = (script: string, ...args: string[]) =>
        execFileSync(process.execPath, [join(temp.dir, 'scripts', script), ...args], {
          cwd: temp.dir,
          stdio: 'pipe'
        })
      run('build-schema.mjs')
      let failure = ''
      try {
        run('build-option-types.mjs', '--check')
      } catch (error) {
        failure = String((error as { stderr: Buffer }).stderr)
      }
      expect(failure).toContain('src/config/generated/options.ts is stale')
      const typesOf = (dir: string) => {
        const source = readFileSync(join(dir, 'src/config/generated/options.ts'), 'utf8')
        return /export interface TypescriptOptions \{[^}]*?\n {2}(projects\??):/.exec(source)?.[1]
      }
      expect(typesOf('.')).toBe('projects?')
      run('build-option-types.mjs')
      expect(typesOf(temp.dir)).toBe('projects')
    } finally {
      temp.cleanup()
    }
  })

  it('a kind option changed in its folder makes the committed schema stale', () => {
    const temp = tempDir('rg-schema-')
    try {
      for (const path of ['scripts', 'src', 'gates', 'package.json'])
        cpSync(path, join(temp.dir, path), { recursive: true })
      symlinkSync(join(process.cwd(), 'node_modules'), join(temp.dir, 'node_modules'))
      const options = join(temp.dir, 'src/checks/typescript/options.schema.json')
      const changed = JSON.parse(readFileSync(options, 'utf8')) as { required?: string[] }
      changed.required = ['projects']
      writeFileSync(options, JSON.stringify(changed))
      let failure = ''
      try {
        execFileSync(process.execPath, [join(temp.dir, 'scripts/build-schema.mjs'), '--check'], {
          cwd: temp.dir,
          stdio: 'pipe'
        })
      } catch (error) {
        failure = String((error as { stderr: Buffer }).stderr)
      }
      expect(failure).toContain('gates/schema.json is not what the kinds compose')
    } finally {
      temp.cleanup()
    }
  })

  it('every property a user writes has a description; every default and example is valid where it stands', () => {
    const ajv = new Ajv2020({ strict: false, allowUnionTypes: true, validateFormats: false })
    ajv.addKeyword({ keyword: 'maxDuration', schemaType: 'string' })
    ajv.addSchema(schema)
    const undescribed: string[] = []
    const invalid: string[] = []
    let described = 0
    let annotated = 0
    const walk = (node: unknown, pointer: string): void => {
      if (!node || typeof node !== 'object') return
      const object = node as Record<string, unknown>
      for (const [name, property] of Object.entries(
        (object.properties as Record<string, unknown> | undefined) ?? {}
      )) {
        const at = `${pointer}/properties/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`
        // `true` marks a property in an anyOf branch; an `if` only tests, nobody writes it.
        if (property === true || at.includes('/if/')) continue
        const schemaOf = property as Record<string, unknown>
        if (typeof schemaOf.description === 'string' && schemaOf.description) described++
        else undescribed.push(at)
        const values = [
          ...('default' in schemaOf ? [schemaOf.default] : []),
          ...((schemaOf.examples as unknown[] | undefined) ?? [])
        ]
        if (values.length) annotated++
        const validate = ajv.compile({ $ref: `${schema.$id}#${at}` })
        for (const value of values)
          if (!validate(value))
            invalid.push(`${at}: ${JSON.stringify(value)} ${ajv.errorsText(validate.errors)}`)
        walk(property, at)
      }
      for (const key of ['items', 'additionalProperties', 'then', 'if'])
        if (object[key] && typeof object[key] === 'object') walk(object[key], `${pointer}/${key}`)
      for (const key of ['allOf', 'anyOf', 'oneOf'])
        (object[key] as unknown[] | undefined)?.forEach((branch, index) =>
          walk(branch, `${pointer}/${key}/${index}`)
        )
    }
    walk(schema, '')
    for (const [name, def] of Object.entries(schema.$defs as Record<string, unknown>))
      walk(def, `/$defs/${name}`)
    expect(undescribed).toEqual([])
    expect(invalid).toEqual([])
    expect(described).toBeGreaterThan(200)
    expect(annotated).toBeGreaterThan(60)
  })
})
