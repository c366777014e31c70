import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { changelogEntryLine, expandVersionTemplate } from '../../../src/checks/git/release.js'
import { gitCheck } from '../../../src/checks/git/index.js'
import { git, tempDir, writeTree } from '../../helpers/fs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const temp = tempDir('rg-git-')
afterAll(temp.cleanup)

const CHANGELOG = [
  '# Changelog',
  '',
  '## [Unreleased]',
  '',
  '## [1.4.0] - 2026-11-20',
  '- Faster checkout',
  '',
  '## [1.3.9] - 2026-10-01'
].join('\n')

let repo: string
let released: string
beforeAll(() => {
  repo = join(temp.dir, 'shop')
  writeTree(repo, {
    'package.json': '{ "name": "shop", "version": "1.4.0" }\n',
    'CHANGELOG.md': `${CHANGELOG}\n`,
    '.gitignore': 'node_modules/\n'
  })
  git(repo, 'init', '-q', '-b', 'main')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'release 1.4.0')
  git(repo, 'tag', '-a', 'v1.4.0', '-m', 'v1.4.0')
  released = git(repo, 'rev-parse', 'HEAD').trim()
  // A feature branch with a commit main does not have.
  git(repo, 'switch', '-q', '-c', 'feature')
  writeFileSync(join(repo, 'feature.txt'), 'wip\n')
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'wip')
  git(repo, 'switch', '-q', 'main')
})

const check = (options: Record<string, unknown>, cwd = repo) =>
  gitCheck(makeGate({ id: 'git', check: 'git', with: options }), makeWorkspace(cwd))

/** Runs `body` with `ref` checked out, then returns to main whatever happens. */
async function checkedOut(ref: string[], body: () => Promise<void>): Promise<void> {
  git(repo, 'switch', '-q', ...ref)
  try {
    await body()
  } finally {
    git(repo, 'switch', '-q', 'main')
  }
}

describe('git, on a real repository', () => {
  it('the tag v${version} at HEAD, a clean tree, on main, a changelog entry: met', async () => {
    const outcome = await check({
      tag: 'v${version}',
      clean: true,
      branch: 'main',
      changelog: true
    })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe(
      'release tag: v1.4.0 at HEAD; working tree: clean; branch: on main; CHANGELOG.md entry: line 5'
    )
    expect(outcome.summary).toContain(`HEAD is \`${released.slice(0, 12)}\``)
  })

  it('a missing tag names the latest one; a tag elsewhere names both commits', async () => {
    writeFileSync(join(repo, 'package.json'), '{ "name": "shop", "version": "1.5.0" }\n')
    try {
      const missing = await check({ tag: 'v${version}' })
      expect(missing.conclusion).toBe('failure')
      expect(missing.title).toBe(
        '1 of 1 release check failed: release tag: expected tag v1.5.0 at HEAD, got no tag v1.5.0 (latest tag reachable from HEAD: v1.4.0)'
      )
      const changelog = await check({ changelog: 'CHANGELOG.md' })
      expect(changelog.conclusion).toBe('failure')
      expect(changelog.annotations).toEqual([
        expect.objectContaining({ path: 'CHANGELOG.md', line: 1, level: 'failure' })
      ])
    } finally {
      git(repo, 'checkout', '--', 'package.json')
    }
    await checkedOut(['feature'], async () => {
      const elsewhere = await check({ tag: 'v1.4.0' })
      expect(elsewhere.conclusion).toBe('failure')
      expect(elsewhere.summary).toContain(`v1.4.0 points at ${released.slice(0, 12)}, HEAD is`)
      expect((await check({ tag: 'v1.4.0', 'tag-at-head': false })).conclusion).toBe('success')
    })
  })

  it('a tag glob must match a tag at HEAD', async () => {
    expect((await check({ tag: 'v1.*' })).conclusion).toBe('success')
    const none = await check({ tag: 'release-*' })
    expect(none.summary).toContain(
      '| ❌ | release tag | tag release-* at HEAD | no tag matches release-* at HEAD |'
    )
  })

  it('uncommitted and untracked changes are listed; ignore-untracked counts tracked files only', async () => {
    writeFileSync(join(repo, 'notes.txt'), 'draft\n')
    try {
      const dirty = await check({ clean: true })
      expect(dirty.conclusion).toBe('failure')
      expect(dirty.summary).toContain('| ❌ | working tree | clean | 1 change: notes.txt |')
      expect((await check({ clean: { 'ignore-untracked': true } })).conclusion).toBe('success')
      writeFileSync(join(repo, 'CHANGELOG.md'), 'edited\n')
      const edited = await check({ clean: { 'ignore-untracked': true } })
      expect(edited.summary).toContain('1 change: CHANGELOG.md')
    } finally {
      git(repo, 'checkout', '--', 'CHANGELOG.md')
      git(repo, 'clean', '-qf')
    }
  })

  it('HEAD on a branch, contained in it when detached, or in neither', async () => {
    const onMain = await check({ branch: 'main' }, repo)
    expect(onMain.conclusion).toBe('success')
    await checkedOut(['--detach', released], async () => {
      const detached = await check({ branch: ['release', 'main'] })
      expect(detached.conclusion).toBe('success')
      expect(detached.summary).toContain(
        '| ✅ | branch | HEAD on or contained in release or main | contained in main |'
      )
    })
    await checkedOut(['feature'], async () => {
      const outside = await check({ branch: ['main', 'release'] })
      expect(outside.conclusion).toBe('failure')
      expect(outside.summary).toContain(
        '| on feature, not contained in main; no branch release here (nor origin/…) |'
      )
    })
  })

  it('outside a repository, or without a version, fails saying so', async () => {
    const plain = join(temp.dir, 'plain')
    writeTree(plain, { 'package.json': '{ "name": "x" }\n' })
    const outside = await check({ clean: true }, plain)
    expect(outside.conclusion).toBe('failure')
    expect(outside.title).toBe('Not a git repository with a commit')
    expect(outside.summary).toMatch(/not a git repository/i)
    const noVersion = join(temp.dir, 'no-version')
    writeTree(noVersion, { 'package.json': '{ "name": "x" }\n' })
    git(noVersion, 'init', '-q', '-b', 'main')
    git(noVersion, 'add', '.')
    git(noVersion, 'commit', '-q', '-m', 'x')
    const outcome = await check({ tag: 'v${version}' }, noVersion)
    expect(outcome.title).toBe('package.json has no version')
  })
})

describe('changelog entries and tag templates', () => {
  it.each([
    ['## [1.4.0] - 2026-11-20', true],
    ['# v1.4.0', true],
    ['### 1.4.0 (2026-11-20)', true],
    ['1.4.0 / 2026-11-20', true],
    ['## [1.4.0-beta.1]', false],
    ['## [11.4.0]', false],
    ['## [1.4.01]', false],
    ['## 1.4.0.1', false],
    ['- bumped lodash to 1.4.0', false]
  ])('%s: %s', (line, entry) => {
    expect(changelogEntryLine(`# Changelog\n\n${line}\n`, '1.4.0') !== undefined).toBe(entry)
  })

  it('expands ${version} and ${name}', () => {
    expect(expandVersionTemplate('${name}@${version}', { name: 'shop', version: '2.0.0' })).toBe(
      'shop@2.0.0'
    )
  })
})
