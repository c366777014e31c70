import { symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { filesCheck as rawFilesCheck } from '../../../src/checks/files/index.js'
import { git, gitRepo, tempDir, writeTree } from '../../helpers/fs.js'
import { annotated, makeGate, makeWorkspace } from '../../helpers/plan.js'

/** The check as the engine reports it: annotations derived from its findings. */
const filesCheck = (...args: Parameters<typeof rawFilesCheck>) => annotated(rawFilesCheck(...args))

const repo = tempDir()
const plain = tempDir()
afterAll(() => {
  repo.cleanup()
  plain.cleanup()
})

beforeAll(() => {
  gitRepo(repo.dir, {
    'README.md': '# Shop\n\n## Deployment\n\nRun the release workflow.\n',
    'docs/runbook.md': '# Runbook\n',
    '.gitignore': '.env*\n!.env.example\ndist/\n',
    '.env.example': 'API_KEY=\n',
    'src/index.ts': 'export const a = 1\nconsole.log("debug", a)\n',
    'src/util/clean.ts': 'export const b = 2\n',
    'src/util/clean.test.ts': 'console.log("fine in tests")\n',
    'config/.env.staging': 'tracked anyway'
  })
  // A file ignored by .gitignore but committed anyway.
  git(repo.dir, 'add', '-f', 'config/.env.staging')
  git(repo.dir, 'commit', '-q', '-m', 'force-add')
  writeTree(repo.dir, {
    '.env.production': 'SECRET=1',
    'src/logo.bin': Buffer.from([
      0x89, 0x50, 0x4e, 0x47, 0x00, 0x63, 0x6f, 0x6e, 0x73, 0x6f, 0x6c, 0x65, 0x2e, 0x6c, 0x6f,
      0x67, 0x28
    ]),
    'node_modules/pkg/index.ts': 'console.log("vendored")\n'
  })
  writeTree(plain.dir, { 'a.txt': 'a' })
})

const check = (options: Record<string, unknown>, cwd = repo.dir) =>
  filesCheck(
    makeGate({ id: 'files', check: 'files', name: 'Files', with: options }),
    makeWorkspace(cwd)
  )

describe('files check', () => {
  it('must-exist: literal files, directories and globs; a missing one fails and is named', async () => {
    const ok = await check({ 'must-exist': ['README.md', 'docs', 'docs/*.md', '.env.example'] })
    expect(ok).toMatchObject({ conclusion: 'success', title: 'All 4 file rules hold' })
    const missing = await check({ 'must-exist': ['README.md', 'CHANGELOG.md', 'docs/**/*.pdf'] })
    expect(missing.conclusion).toBe('failure')
    expect(missing.title).toBe('2 of 3 file rules broken: CHANGELOG.md exists, …')
    expect(missing.summary).toContain('| ❌ | `docs/**/*.pdf` exists | nothing matches |')
  })

  it('must-not-exist: anything found fails, with an annotation per path', async () => {
    const outcome = await check({ 'must-not-exist': ['*.log', '.env.production'] })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.annotations).toEqual([
      {
        path: '.env.production',
        line: 1,
        level: 'failure',
        message: '.env.production must not exist (Files)'
      }
    ])
  })

  it('must-match: every matched file contains the pattern; no matching file is a failure, not a pass', async () => {
    expect(
      (await check({ 'must-match': [{ paths: 'README.md', pattern: '^## Deployment' }] }))
        .conclusion
    ).toBe('success')
    const outdated = await check({
      'must-match': [{ paths: ['README.md', 'docs/*.md'], pattern: 'deploy', 'ignore-case': true }]
    })
    expect(outdated.conclusion).toBe('failure')
    expect(outdated.summary).toContain('missing in `docs/runbook.md`')
    const typo = await check({ 'must-match': [{ paths: 'READNE.md', pattern: 'x' }] })
    expect(typo.conclusion).toBe('failure')
    expect(typo.summary).toContain('the paths match no files, so nothing could be checked')
  })

  it('must-not-match: each hit is annotated at its line and column; excluded, vendored and binary files are not searched', async () => {
    const outcome = await check({
      'must-not-match': [
        {
          paths: '**',
          exclude: '**/*.test.ts',
          pattern: 'console\\.log\\(',
          message: 'debug output left in production code'
        }
      ]
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.annotations).toEqual([
      {
        path: 'src/index.ts',
        line: 2,
        column: 1,
        level: 'failure',
        message: 'debug output left in production code'
      }
    ])
    expect(outcome.summary).toContain('1 match in `src/index.ts`')
    expect(outcome.summary).toContain('not searched: binary: `src/logo.bin`')
    const clean = await check({
      'must-not-match': [
        { paths: 'src/util/*.ts', exclude: ['**/*.test.ts'], pattern: 'console\\.log' }
      ]
    })
    expect(clean).toMatchObject({ conclusion: 'success', annotations: [] })
    expect(clean.summary).toContain('1 file searched')
  })

  it('must-not-match on a glob that matches no file fails instead of passing', async () => {
    const outcome = await check({
      'must-not-match': [{ paths: 'source/**/*.ts', pattern: 'console' }]
    })
    expect(outcome.conclusion).toBe('failure')
  })

  it('must-be-ignored: ignored and untracked passes; not ignored, or ignored but tracked, fails', async () => {
    expect((await check({ 'must-be-ignored': ['.env.production', '.env.local'] })).conclusion).toBe(
      'success'
    )
    const notIgnored = await check({ 'must-be-ignored': ['.env.example'] })
    expect(notIgnored.conclusion).toBe('failure')
    expect(notIgnored.summary).toContain('not matched by any .gitignore rule')
    const tracked = await check({ 'must-be-ignored': ['config/.env.staging'] })
    expect(tracked.conclusion).toBe('failure')
    expect(tracked.summary).toContain(
      'ignored, but tracked anyway: `config/.env.staging` (git rm --cached it)'
    )
  })

  it('must-be-ignored outside a git repository fails with git’s reason', async () => {
    const outcome = await check({ 'must-be-ignored': ['.env'] }, plain.dir)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toMatch(/git could not tell: .*not a git repository/i)
  })

  it('files bigger than max-file-size are not searched, and that counts against must-match', async () => {
    const outcome = await check({
      'max-file-size': 10,
      'must-match': [{ paths: 'README.md', pattern: 'Deployment' }]
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain('not searchable: over 10 bytes: `README.md`')
  })
})

describe('files: hostile repositories', () => {
  const hostile = tempDir('rg-files-hostile-')
  const outside = tempDir('rg-outside-')
  afterAll(() => {
    hostile.cleanup()
    outside.cleanup()
  })

  it('never reads through a tracked symlink that leads out of the repository, and says so', async () => {
    writeTree(outside.dir, { 'creds.txt': 'password=hunter2-outside\n' })
    gitRepo(hostile.dir, { 'README.md': '# x\n' })
    symlinkSync(join(outside.dir, 'creds.txt'), join(hostile.dir, 'linked.txt'))
    git(hostile.dir, 'add', 'linked.txt')
    git(hostile.dir, 'commit', '-q', '-m', 'link')
    const outcome = await check(
      { 'must-not-match': [{ paths: '*.txt', pattern: 'hunter2' }] },
      hostile.dir
    )
    // The outside file would match; it is not repository content and is not read.
    expect(outcome.conclusion).toBe('success')
    expect(outcome.annotations).toEqual([])
    expect(outcome.summary).toContain(
      'not searched: links out of the repository (not followed): `linked.txt`'
    )
  })

  it('a pattern that backtracks for minutes on a real engine answers at once here', async () => {
    writeTree(hostile.dir, { 'long.txt': `${'a'.repeat(40)}!\n` })
    const started = Date.now()
    const outcome = await check(
      { 'must-not-match': [{ paths: 'long.txt', pattern: '^(a+)+$' }] },
      hostile.dir
    )
    expect(outcome.conclusion).toBe('success')
    expect(Date.now() - started).toBeLessThan(5_000)
  })
})
