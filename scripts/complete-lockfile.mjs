// The npm registry this project is developed against serves the Linux builds of some
// platform-specific packages but not the others (e.g. @unrs/resolver-binding-darwin-arm64,
// pulled in by jest-resolve, answers 404). `npm install` then writes a lockfile without those
// optional entries, and `npm ci` rejects it as out of sync with package.json. This adds each
// missing optional dependency as an optional, version-pinned entry: npm ci accepts the lock,
// and platforms that need the package still install exactly that version.
// Run after every `npm install`: node scripts/complete-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs'

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'))
const added = []
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ''}node_modules/${name}`
    if (lock.packages[nested] || lock.packages[`node_modules/${name}`]) continue
    lock.packages[`node_modules/${name}`] = {
      version,
      ...(entry.dev && { dev: true }),
      optional: true
    }
    added.push(`${name}@${version}`)
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) =>
    a === '' ? -1 : b === '' ? 1 : a.localeCompare(b)
  )
)
writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n')
console.log(
  added.length
    ? `added ${added.length} optional entries: ${added.join(', ')}`
    : 'lockfile already complete'
)
