// Composes gates/schema.json, the schema editors and the validator use, from the kinds: the file's
// own shape (src/config/schema.base.json) and each kind's options (src/checks/<kind>/
// options.schema.json). The kinds are the folders that hold an options schema; a kind's `with`
// is required when its options require something. `--check` fails when gates/schema.json is stale.
// Usage: node scripts/build-schema.mjs [--check]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import prettier from 'prettier'

export const SCHEMA_OUT = 'gates/schema.json'
const KINDS_DIR = 'src/checks'

/** The kinds, by folder name, with their option schemas. */
export function kindOptions() {
  return readdirSync(KINDS_DIR, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() && existsSync(join(KINDS_DIR, entry.name, 'options.schema.json'))
    )
    .map((entry) => entry.name)
    .sort()
    .map((kind) => ({
      kind,
      options: JSON.parse(readFileSync(join(KINDS_DIR, kind, 'options.schema.json'), 'utf8'))
    }))
}

export async function schemaSource() {
  const schema = JSON.parse(readFileSync('src/config/schema.base.json', 'utf8'))
  const kinds = kindOptions()
  const gate = schema.$defs.gate
  gate.properties.check.enum = kinds.map(({ kind }) => kind)
  gate.allOf = kinds.map(({ kind, options }) => ({
    if: { required: ['check'], properties: { check: { const: kind } } },
    then: {
      properties: {
        with: { $ref: `#/$defs/with-${kind}`, description: `Options of the ${kind} check.` }
      },
      ...((options.required?.length || options.minProperties) && { required: ['with'] })
    }
  }))
  for (const { kind, options } of kinds) schema.$defs[`with-${kind}`] = options
  const style = await prettier.resolveConfig(SCHEMA_OUT)
  return prettier.format(JSON.stringify(schema), { ...style, parser: 'json', filepath: SCHEMA_OUT })
}

/** Writes gates/schema.json when the kinds compose something else than it holds. */
export async function writeSchema() {
  const source = await schemaSource()
  if (!existsSync(SCHEMA_OUT) || readFileSync(SCHEMA_OUT, 'utf8') !== source)
    writeFileSync(SCHEMA_OUT, source)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--check')) {
    if (readFileSync(SCHEMA_OUT, 'utf8') !== (await schemaSource())) {
      console.error(
        `${SCHEMA_OUT} is not what the kinds compose: run node scripts/build-schema.mjs`
      )
      process.exit(1)
    }
    console.log(`${SCHEMA_OUT} is what the kinds compose`)
  } else {
    await writeSchema()
    console.log(`wrote ${SCHEMA_OUT}`)
  }
}
