import { copyFileSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { main } from '../../src/cli/main.js'
import type { GitHubContext, SignoffSource } from '../../src/model/types.js'
import { evaluate, loadPlan } from '../../src/engine/evaluate.js'
import { startFakeGitHub } from '../helpers/fake-github.js'
import type { FakeGitHub } from '../helpers/fake-github.js'
import { emptySignoffState } from '../helpers/fake-github-signoffs.js'
import { gitRepo, tempDir } from '../helpers/fs.js'

// What init writes for the three shared checklists must be a file a team can pass: every sign-off
// it asks for can be given on GitHub, and once given, every one is met.

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const temp = tempDir('rg-init-signoffs-')
let fake: FakeGitHub
let source: SignoffSource
beforeAll(async () => {
  fake = await startFakeGitHub()
  const { createGitHubClient } = await import('../../src/github/octokit.js')
  const { createSignoffSource } = await import('../../src/github/signoff-source.js')
  const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }
  // The fake's address given, not GITHUB_API_URL: @actions/github reads that once, when loaded.
  source = createSignoffSource(
    createGitHubClient('ghs_test', quiet, { baseUrl: fake.url }),
    'acme',
    'shop'
  )
})
afterAll(async () => {
  await fake.close()
  temp.cleanup()
})

const onPullRequest: GitHubContext = {
  eventName: 'pull_request',
  sha: 'ffeeddccbbaa99887766554433221100ffeeddcc',
  owner: 'acme',
  repo: 'shop',
  repository: 'acme/shop',
  pullRequest: {
    number: 7,
    headSha: HEAD,
    headRef: 'release',
    baseSha: '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567',
    baseRef: 'main',
    fromFork: false
  }
}

interface GateEntry {
  id: string
  check: string
  stage: string
  enabled?: boolean
}

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }

describe.each(['vivr-ecommerce', 'bazaarhub', 'tribal-art-marketplace'])(
  'init on %s: its sign-offs can be given',
  (name) => {
    it('asks at most 25 sign-offs before a release, and passes once they are given on GitHub', async () => {
      const dir = join(temp.dir, name)
      gitRepo(dir, { 'README.md': `# ${name}\n` })
      copyFileSync(resolve(`__tests__/fixtures/checklists/${name}.md`), join(dir, 'CHECKLIST.md'))
      let output = ''
      const sink = { write: (text: string) => (output += text) }
      const code = await main(['init', 'CHECKLIST.md', '--cwd', dir], {
        stdout: sink,
        stderr: sink,
        env: process.env,
        cwd: dir
      })
      expect({ code, output }).toMatchObject({ code: 0 })

      const file = parse(readFileSync(join(dir, '.github/release-gates.yml'), 'utf8')) as {
        gates: GateEntry[]
      }
      const signoffs = file.gates.filter(
        (gate) => gate.check === 'manual' && gate.stage === 'pre-release' && gate.enabled !== false
      )
      expect(signoffs.length).toBeGreaterThan(3)
      expect(signoffs.length).toBeLessThanOrEqual(25)
      const plan = await loadPlan({ cwd: dir, only: signoffs.map((gate) => gate.id) })
      const run = () =>
        evaluate(plan, {
          cwd: dir,
          env: {},
          logger: quiet,
          github: onPullRequest,
          signoffs: source
        })

      Object.assign(fake.signoffs, emptySignoffState())
      fake.signoffs.pulls.set(7, { author: 'dev', headSha: HEAD })
      fake.signoffs.commits.set(HEAD, '2026-11-20T09:00:00Z')
      fake.signoffs.roles.set('release-lead', 'write')
      fake.signoffs.roles.set('qa-lead', 'maintain')
      const before = await run()
      expect(before.result).toBe('failed')
      expect(before.counts.action_required).toBe(signoffs.length)

      // A passer-by's comments and approval count for nothing (anyone may comment on a public
      // repository); those of people with write access do.
      const byPasserBy = signoffs.map((gate) => ({
        user: 'passer-by',
        body: `/release-gates sign-off ${gate.id}`,
        createdAt: '2026-11-20T10:00:00Z'
      }))
      fake.signoffs.reviews.set(7, [{ user: 'passer-by', state: 'APPROVED', commitId: HEAD }])
      fake.signoffs.comments.set(7, byPasserBy)
      expect((await run()).counts.action_required).toBe(signoffs.length)

      fake.signoffs.reviews.set(7, [
        { user: 'passer-by', state: 'APPROVED', commitId: HEAD },
        { user: 'release-lead', state: 'APPROVED', commitId: HEAD },
        { user: 'qa-lead', state: 'APPROVED', commitId: HEAD }
      ])
      fake.signoffs.comments.set(7, [
        ...byPasserBy,
        {
          user: 'release-lead',
          body: signoffs.map((gate) => `/release-gates sign-off ${gate.id}`).join('\n'),
          createdAt: '2026-11-20T11:00:00Z'
        }
      ])
      const after = await run()
      expect(fake.problems).toEqual([])
      const unmet = after.gates.filter((gate) => gate.conclusion !== 'success')
      expect(unmet.map((gate) => `${gate.id}: ${gate.title}`)).toEqual([])
      expect(after.result).toBe('passed')
    }, 60_000)
  }
)
