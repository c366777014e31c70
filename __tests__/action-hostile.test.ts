import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { eventPayload, runBundledAction } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'
import { gitRepo, tempDir } from './helpers/fs.js'
import { CLI, runNode } from './helpers/process.js'

const TIMEOUT = 60_000
const temp = tempDir('rg-hostile-')
afterAll(temp.cleanup)

let fake: FakeGitHub
afterEach(async () => {
  await fake.close()
  expect(fake.problems).toEqual([])
})

describe('an API that accepts the connection and never answers', () => {
  it(
    'times each request out, retries it like a 5xx, and still writes the summary and outputs; the exit code is the result’s',
    async () => {
      fake = await startFakeGitHub()
      fake.fail('checks/create', ...Array.from({ length: 8 }, () => ({ status: 0, hang: true })))
      const repo = `${temp.dir}/hang`
      gitRepo(repo, {
        '.github/release-gates.yml': [
          'version: 1',
          'gates:',
          '  - { id: build, check: command, with: { run: echo built } }',
          '  - { id: docs, check: files, with: { must-exist: [CHANGELOG.md] } }',
          ''
        ].join('\n'),
        'README.md': '# x\n'
      })
      const started = Date.now()
      const run = await runBundledAction({
        workspace: repo,
        apiUrl: fake.url,
        event: 'push',
        inputs: { 'api-timeout': '300ms' }
      })
      expect(run.code).toBe(1)
      expect(Date.now() - started).toBeLessThan(30_000)
      // One request, first try and three retries, each cut off by the timeout; then given up.
      expect(fake.requests.map((request) => request.operationId)).toEqual([
        'checks/create',
        'checks/create',
        'checks/create',
        'checks/create'
      ])
      expect(run.stdout).toContain('Writing check runs failed')
      expect(run.summary).toContain('## ❌ Release gates failed')
      expect(run.outputs).toMatchObject({ result: 'failed', 'failed-gates': '["docs"]' })
      expect(run.commands.some((command) => command.message.includes('CHANGELOG.md'))).toBe(true)
    },
    TIMEOUT
  )
})

describe('a configuration error in the action', () => {
  it(
    'writes a job summary that says what is wrong and where, and exits 2',
    async () => {
      fake = await startFakeGitHub()
      const repo = `${temp.dir}/bad-config`
      gitRepo(repo, {
        '.github/release-gates.yml': [
          'version: 1',
          'gates:',
          '  - id: lint',
          '    check: command',
          '    timeout: 1000h',
          '    with: { run: npm run lint }',
          ''
        ].join('\n')
      })
      const run = await runBundledAction({ workspace: repo, apiUrl: fake.url, event: 'push' })
      expect(run.code).toBe(2)
      expect(run.outputs.result).toBe('config-error')
      expect(run.summary).toContain('## ⚠️ Release gates: configuration error')
      expect(run.summary).toContain('`.github/release-gates.yml:5:14`')
      expect(run.summary).toContain("'1000h' is longer than the longest duration allowed, 24h")
    },
    TIMEOUT
  )

  it(
    'an empty plan is a configuration error unless allow-empty: true',
    async () => {
      fake = await startFakeGitHub()
      const repo = `${temp.dir}/empty`
      gitRepo(repo, { '.github/release-gates.yml': 'version: 1\n' })
      const refused = await runBundledAction({ workspace: repo, apiUrl: fake.url, event: 'push' })
      expect(refused.code).toBe(2)
      expect(refused.summary).toContain('no gates to evaluate in pre-release')
      const allowed = await runBundledAction({
        workspace: repo,
        apiUrl: fake.url,
        event: 'push',
        inputs: { 'allow-empty': 'true', 'check-runs': 'never' }
      })
      expect(allowed.code).toBe(0)
      expect(allowed.outputs.result).toBe('passed')
    },
    TIMEOUT
  )
})

describe('a pull request cannot weaken its own gates', () => {
  it(
    'with config-ref: base, the secrets baseline comes from the base commit: a PR that adds a token and its fingerprint still fails',
    async () => {
      fake = await startFakeGitHub()
      const pr = eventPayload('pull_request').pull_request
      const token = 'ghp_' + 'R8mKq2Lw7Xv4Tn9Bc3Hd6Jf1Gs5Yp0Za8Ue'
      const gates = [
        'version: 1',
        'gates:',
        '  - id: secrets',
        '    check: secrets',
        '    with: { baseline: .github/secrets-baseline.json }',
        ''
      ].join('\n')
      const repo = `${temp.dir}/weakened`
      // The pull request's checkout: the token, and a baseline that accepts it, written as its
      // author would, with `release-gates secrets baseline`.
      gitRepo(repo, {
        '.github/release-gates.yml': gates,
        'src/config.ts': `export const token = '${token}'\n`
      })
      const baseline = runNode(
        CLI,
        ['secrets', 'baseline', '--output', '.github/secrets-baseline.json'],
        {
          cwd: repo
        }
      )
      expect(baseline.stdout).toContain('Wrote 1 finding')
      // The base commit: the same gates file and an empty baseline.
      fake.files.set(`${pr.base.sha}:.github/release-gates.yml`, gates)
      fake.files.set(
        `${pr.base.sha}:.github/secrets-baseline.json`,
        JSON.stringify({ version: 1, fingerprints: [] })
      )
      const run = await runBundledAction({
        workspace: repo,
        apiUrl: fake.url,
        event: 'pull_request',
        inputs: { 'config-ref': 'base', 'check-runs': 'never' }
      })
      expect(run.code).toBe(1)
      expect(run.outputs['failed-gates']).toBe('["secrets"]')
      expect(
        fake.requests
          .filter((request) => request.operationId === 'repos/get-content')
          .map((request) => decodeURIComponent(request.path))
      ).toEqual([
        '/repos/Codertocat/Hello-World/contents/.github/release-gates.yml',
        '/repos/Codertocat/Hello-World/contents/.github/secrets-baseline.json'
      ])
      // Only the runner's own mask command may carry it.
      expect(run.stdout.replace(/^::add-mask::.*$/gm, '')).not.toContain(token)

      // Read from the checkout (the default), the PR's own baseline accepts its token.
      const fromHead = await runBundledAction({
        workspace: repo,
        apiUrl: fake.url,
        event: 'pull_request',
        inputs: { 'check-runs': 'never' }
      })
      expect(fromHead.code).toBe(0)
    },
    TIMEOUT
  )
})
