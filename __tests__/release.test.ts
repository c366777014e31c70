import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { git as gitRaw, gitRepo, tempDir } from './helpers/fs.js'

const git = (cwd: string, ...args: string[]) => gitRaw(cwd, ...args).trim()

const temp = tempDir('rg-release-')
const repo = join(temp.dir, 'project')
afterAll(temp.cleanup)

// A project shaped like this one: its own build and check-dist, which the script runs as they are.
beforeAll(() => {
  gitRepo(repo, {
    'package.json': JSON.stringify(
      {
        name: 'released',
        version: '0.1.0',
        scripts: {
          build:
            "node -e \"require('fs').writeFileSync('dist.txt', require('./package.json').version)\"",
          'check-dist': "node -e \"process.exit(require('fs').existsSync('dist.txt') ? 0 : 1)\""
        }
      },
      null,
      2
    ),
    'package-lock.json': JSON.stringify(
      {
        name: 'released',
        version: '0.1.0',
        lockfileVersion: 3,
        packages: { '': { name: 'released', version: '0.1.0' } }
      },
      null,
      2
    ),
    'CHANGELOG.md': '# Changelog\n\n## 0.1.0 — unreleased\n\n- The first gates.\n',
    '.gitignore': 'node_modules\n'
  })
  cpSync('scripts/release.mjs', join(repo, 'scripts/release.mjs'))
  symlinkSync(resolve('node_modules'), join(repo, 'node_modules'))
  git(repo, 'add', '.')
  git(repo, 'commit', '-q', '-m', 'scripts')
})

const release = (...args: string[]) =>
  spawnSync(process.execPath, ['scripts/release.mjs', ...args], { cwd: repo, encoding: 'utf8' })
const tagged = (tag: string) => git(repo, 'rev-list', '-n', '1', tag)

describe('npm run release -- <version>', () => {
  it('--dry-run says what it would do and changes nothing', () => {
    const before = git(repo, 'rev-parse', 'HEAD')
    const dry = release('0.1.0', '--dry-run')
    expect(dry.status).toBe(0)
    expect(dry.stdout).toContain('Dry run of v0.1.0; nothing is changed')
    expect(dry.stdout).toContain("commit 'Release v0.1.0', tag v0.1.0, move v0 to it")
    expect(git(repo, 'status', '--porcelain')).toBe('')
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(before)
    expect(git(repo, 'tag', '--list')).toBe('')
  })

  it('bumps, dates the changelog, builds, commits, tags vX.Y.Z and moves vX; refuses what would be wrong', () => {
    const first = release('0.1.0')
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    const head = git(repo, 'rev-parse', 'HEAD')
    expect(tagged('v0.1.0')).toBe(head)
    expect(tagged('v0')).toBe(head)
    expect(git(repo, 'log', '-1', '--format=%s')).toBe('Release v0.1.0')
    const changelog = readFileSync(join(repo, 'CHANGELOG.md'), 'utf8')
    expect(changelog).toMatch(
      /^## Unreleased\n\n## 0\.1\.0 — \d{4}-\d{2}-\d{2}\n\n- The first gates\.\n/m
    )
    expect(git(repo, 'show', 'HEAD:dist.txt')).toBe('0.1.0')

    // Nothing new since: nothing to release.
    expect(release('0.2.0')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('Unreleased section is empty')
    })
    writeFileSync(
      join(repo, 'CHANGELOG.md'),
      changelog.replace('## Unreleased\n', '## Unreleased\n\n- Waivers for every kind.\n')
    )
    expect(release('0.2.0')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('the working tree has changes')
    })
    git(repo, 'commit', '-q', '-am', 'waivers')
    expect(release('0.0.9')).toMatchObject({
      status: 2,
      stderr: expect.stringContaining('0.0.9 is not above the latest release v0.1.0')
    })
    expect(release('1.0.0-rc.1').stderr).toContain('prerelease')
    expect(release('0.2.0').status).toBe(0)
    const second = git(repo, 'rev-parse', 'HEAD')
    expect(tagged('v0.2.0')).toBe(second)
    expect(tagged('v0')).toBe(second)
    expect(tagged('v0.1.0')).not.toBe(second)
    expect(JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')).version).toBe('0.2.0')
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: repo, encoding: 'utf8' })).toBe('')
  })
})
