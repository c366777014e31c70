// ncc names every bundle index.js; the CLI bundle is built into dist/cli-bundle and moved to
// dist/cli.js (the package's bin) so both entry points sit side by side in dist/.
import { readFileSync, rmSync, writeFileSync, existsSync, chmodSync } from 'node:fs'

const from = 'dist/cli-bundle'
let code = readFileSync(`${from}/index.js`, 'utf8').replace(
  /\/\/# sourceMappingURL=index\.js\.map\s*$/,
  '//# sourceMappingURL=cli.js.map\n'
)
if (!code.startsWith('#!')) code = `#!/usr/bin/env node\n${code}`
writeFileSync('dist/cli.js', code)
chmodSync('dist/cli.js', 0o755)
const map = JSON.parse(readFileSync(`${from}/index.js.map`, 'utf8'))
map.file = 'cli.js'
writeFileSync('dist/cli.js.map', JSON.stringify(map))
if (existsSync(`${from}/package.json`)) rmSync(`${from}/package.json`)
rmSync(from, { recursive: true })
