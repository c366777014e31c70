// Records the published versions and dist-tags of the packages the audit tests use, through the
// ordinary npm client, as minimal packuments the tests' local registry serves (npm audit reads
// them to work out vulnerable ranges and whether a fix is available).
// Usage: node scripts/record-packuments.mjs lodash minimist
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'

for (const name of process.argv.slice(2)) {
  const view = JSON.parse(
    execFileSync('npm', ['view', name, 'versions', 'dist-tags', '--json'], { encoding: 'utf8' })
  )
  const versions = Object.fromEntries(view.versions.map((version) => [version, { name, version }]))
  writeFileSync(
    `__tests__/fixtures/registry/${name}.json`,
    JSON.stringify({ name, 'dist-tags': view['dist-tags'], versions }) + '\n'
  )
  console.log(`${name}: ${view.versions.length} versions, latest ${view['dist-tags'].latest}`)
}
