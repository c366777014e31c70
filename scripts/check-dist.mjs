// Fails when the committed dist/ is not what src/ builds. Builds into a scratch directory
// and compares, so it never rewrites dist/ (other gates may be reading it concurrently).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from './build.mjs'
import { SCHEMA_OUT, schemaSource } from './build-schema.mjs'
import { OPTION_TYPES_OUT, optionTypesSource } from './build-option-types.mjs'
import { VALIDATOR_OUT, validatorSource } from './build-validator.mjs'
import { WORKFLOW_OUT, workflowSource } from './build-workflow.mjs'

// Before building, which would rewrite it: the validator compiled from gates/schema.json is
// committed in src/, and must be current too.
const schemaStale = readFileSync(SCHEMA_OUT, 'utf8') !== (await schemaSource())
const validatorStale = readFileSync(VALIDATOR_OUT, 'utf8') !== validatorSource()
const typesStale = readFileSync(OPTION_TYPES_OUT, 'utf8') !== (await optionTypesSource())
const workflowStale = readFileSync(WORKFLOW_OUT, 'utf8') !== (await workflowSource())
const scratch = mkdtempSync(join(tmpdir(), 'rg-dist-check-'))
try {
  await build(scratch)
  const built = readdirSync(scratch).sort()
  const committed = readdirSync('dist').sort()
  const problems = []
  if (schemaStale) problems.push(`${SCHEMA_OUT} is not what the kinds' option schemas compose`)
  if (validatorStale) problems.push(`${VALIDATOR_OUT} is not what gates/schema.json compiles to`)
  if (typesStale) problems.push(`${OPTION_TYPES_OUT} is not what gates/schema.json describes`)
  if (workflowStale) problems.push(`${WORKFLOW_OUT} does not mirror action.yml`)
  for (const file of new Set([...built, ...committed])) {
    if (!built.includes(file))
      problems.push(`dist/${file} is not produced by the build any more: delete it`)
    else if (!committed.includes(file)) problems.push(`dist/${file} is missing`)
    else if (!readFileSync(join(scratch, file)).equals(readFileSync(join('dist', file))))
      problems.push(`dist/${file} differs from what src/ builds`)
  }
  if (problems.length) {
    console.error(
      problems.join('\n') + "\nRun 'npm run build' and commit dist/ (and src/config/generated/)."
    )
    process.exit(1)
  }
  console.log(`dist/ is current: ${built.length} files match a fresh build`)
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
