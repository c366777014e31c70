// Cuts a release: the version in package.json and its lockfile, the CHANGELOG section dated, the
// build and check-dist, a commit, the tag vX.Y.Z and the moving major tag vX that workflows pin
// (`uses: release-gates/release-gates@v1`). `--dry-run` says what it would do and changes nothing.
// Usage: npm run release -- <version> [--dry-run]
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import semver from 'semver'

const CHANGELOG = 'CHANGELOG.md'

/** Why the release cannot be cut; printed without a stack trace, exit 2. */
class ReleaseError extends Error {}

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim()

/**
 * The changelog with its pending section (`## Unreleased`, or `## X.Y.Z — unreleased`) headed by
 * the version and date, and a new empty `## Unreleased` above it. Pure: text in, text out.
 */
export function datedChangelog(text, version, date) {
  const heading = /^## (?:Unreleased|\S+ — unreleased)[ \t]*$/im
  const match = heading.exec(text)
  if (!match) throw new ReleaseError(`${CHANGELOG} has no '## Unreleased' section to release`)
  const rest = text.slice(match.index + match[0].length)
  const next = rest.search(/^## /m)
  const body = (next === -1 ? rest : rest.slice(0, next)).trim()
  if (!body)
    throw new ReleaseError(`${CHANGELOG}'s Unreleased section is empty: nothing to release`)
  return (
    text.slice(0, match.index) +
    `## Unreleased\n\n## ${version} — ${date}\n\n${body}\n\n` +
    (next === -1 ? '' : rest.slice(next))
  )
}

/** What the release will do, or why it cannot: checked before anything changes. */
export function planRelease({ version, current, tags, clean }) {
  if (!semver.valid(version)) throw new ReleaseError(`'${version}' is not a version (X.Y.Z)`)
  if (semver.prerelease(version))
    throw new ReleaseError(`${version} is a prerelease: the moving major tag is for releases only`)
  const released = tags
    .filter((tag) => /^v\d+\.\d+\.\d+$/.test(tag))
    .map((tag) => tag.slice(1))
    .sort(semver.rcompare)
  if (released[0] && !semver.gt(version, released[0]))
    throw new ReleaseError(`${version} is not above the latest release v${released[0]}`)
  if (semver.lt(version, current))
    throw new ReleaseError(`${version} is below package.json's version ${current}`)
  if (!clean) throw new ReleaseError('the working tree has changes: commit or stash them first')
  return { tag: `v${version}`, major: `v${semver.major(version)}` }
}

function main(argv) {
  const dryRun = argv.includes('--dry-run')
  const [version] = argv.filter((arg) => !arg.startsWith('--'))
  if (!version) throw new ReleaseError('usage: npm run release -- <version> [--dry-run]')
  const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
  const plan = planRelease({
    version,
    current: manifest.version,
    tags: git('tag', '--list').split('\n').filter(Boolean),
    clean: git('status', '--porcelain') === ''
  })
  const date = new Date().toISOString().slice(0, 10)
  const changelog = datedChangelog(readFileSync(CHANGELOG, 'utf8'), version, date)
  const steps = [
    `package.json and package-lock.json: ${manifest.version} -> ${version}`,
    `${CHANGELOG}: the Unreleased section becomes '## ${version} — ${date}'`,
    'npm run build, then npm run check-dist',
    `commit 'Release ${plan.tag}', tag ${plan.tag}, move ${plan.major} to it`
  ]
  if (dryRun) {
    console.log(
      `Dry run of ${plan.tag}; nothing is changed:\n${steps.map((step) => `- ${step}`).join('\n')}`
    )
    return
  }
  execFileSync('npm', ['version', version, '--no-git-tag-version', '--allow-same-version'], {
    stdio: 'ignore'
  })
  writeFileSync(CHANGELOG, changelog)
  execFileSync('npm', ['run', 'build'], { stdio: 'inherit' })
  execFileSync('npm', ['run', 'check-dist'], { stdio: 'inherit' })
  git('add', '--all')
  git('commit', '--quiet', '--message', `Release ${plan.tag}`)
  git('tag', '--annotate', plan.tag, '--message', `Release ${plan.tag}`)
  // The major tag moves with each release of that major: force it onto this commit.
  git(
    'tag',
    '--force',
    '--annotate',
    plan.major,
    '--message',
    `Latest ${plan.major} release: ${plan.tag}`
  )
  console.log(
    `Released ${plan.tag} (${plan.major} moved). Push with: git push origin HEAD ${plan.tag} && git push --force origin ${plan.major}`
  )
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2))
  } catch (error) {
    if (!(error instanceof ReleaseError)) throw error
    console.error(`release: ${error.message}`)
    process.exit(2)
  }
}
