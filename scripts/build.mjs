// Bundles the action (src/index.ts -> OUT/index.js), the CLI (src/cli.ts -> OUT/cli.js) and the
// secret-scanning worker (src/secrets/worker.ts -> OUT/secrets-worker.js) with ncc. ncc names
// every bundle index.js, so the others are built beside and renamed.
// Usage: node scripts/build.mjs [OUT]   (default: dist)
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeSchema } from './build-schema.mjs'
import { writeOptionTypes } from './build-option-types.mjs'
import { writeValidator } from './build-validator.mjs'
import { writeWorkflow } from './build-workflow.mjs'

export async function build(out) {
  // The schema from the kinds, then its validator and the option types: the bundles import them.
  await writeSchema()
  writeValidator()
  await writeOptionTypes()
  // The reusable workflow mirrors action.yml's inputs and outputs.
  await writeWorkflow()
  const ncc = join('node_modules', '.bin', 'ncc')
  execFileSync(
    ncc,
    ['build', 'src/index.ts', '-o', out, '--source-map', '--license', 'licenses.txt', '--quiet'],
    { stdio: 'inherit' }
  )
  bundleAs(ncc, 'src/cli/run.ts', out, 'cli-main.js', false)
  bundleAs(ncc, 'src/cli.ts', out, 'cli.js', true)
  bundleAs(ncc, 'src/secrets/worker.ts', out, 'secrets-worker.js', false)
}

function bundleAs(ncc, entry, out, name, executable) {
  const scratch = mkdtempSync(join(tmpdir(), 'rg-bundle-'))
  try {
    execFileSync(ncc, ['build', entry, '-o', scratch, '--source-map', '--quiet'], {
      stdio: 'inherit'
    })
    let code = readFileSync(join(scratch, 'index.js'), 'utf8')
    code = code.replace(
      /\/\/# sourceMappingURL=index\.js\.map\s*$/,
      `//# sourceMappingURL=${name}.map\n`
    )
    if (executable && !code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`
    writeFileSync(join(out, name), code)
    if (executable) chmodSync(join(out, name), 0o755)
    const map = JSON.parse(readFileSync(join(scratch, 'index.js.map'), 'utf8'))
    map.file = name
    writeFileSync(join(out, `${name}.map`), JSON.stringify(map))
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'dist'
  if (existsSync(out) && out === 'dist') rmSync(out, { recursive: true })
  await build(out)
}
