// Bundles the action (src/index.ts -> OUT/index.js) and the CLI (src/cli.ts -> OUT/cli.js)
// with ncc. ncc names every bundle index.js, so the CLI is built beside and renamed.
// Usage: node scripts/build.mjs [OUT]   (default: dist)
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export function build(out) {
  const ncc = join('node_modules', '.bin', 'ncc')
  execFileSync(
    ncc,
    ['build', 'src/index.ts', '-o', out, '--source-map', '--license', 'licenses.txt', '--quiet'],
    { stdio: 'inherit' }
  )
  const cliOut = mkdtempSync(join(tmpdir(), 'rg-cli-bundle-'))
  try {
    execFileSync(ncc, ['build', 'src/cli.ts', '-o', cliOut, '--source-map', '--quiet'], {
      stdio: 'inherit'
    })
    let code = readFileSync(join(cliOut, 'index.js'), 'utf8')
    code = code.replace(
      /\/\/# sourceMappingURL=index\.js\.map\s*$/,
      '//# sourceMappingURL=cli.js.map\n'
    )
    if (!code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`
    writeFileSync(join(out, 'cli.js'), code)
    chmodSync(join(out, 'cli.js'), 0o755)
    const map = JSON.parse(readFileSync(join(cliOut, 'index.js.map'), 'utf8'))
    map.file = 'cli.js'
    writeFileSync(join(out, 'cli.js.map'), JSON.stringify(map))
  } finally {
    rmSync(cliOut, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'dist'
  if (existsSync(out) && out === 'dist') rmSync(out, { recursive: true })
  build(out)
}
