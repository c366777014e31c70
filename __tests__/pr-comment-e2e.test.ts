import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { eventPayload, runBundledAction } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'
import { TOKEN_LOGIN } from './helpers/fake-github-signoffs.js'
import { git, gitRepo, tempDir, writeTree } from './helpers/fs.js'
import { COMMENT_LIMIT, commentMarker, renderPullRequestComment } from '../src/report/pr-comment.js'
import { makeReport, makeResult } from './helpers/plan.js'

const E2E_TIMEOUT = 120_000
const temp = tempDir('rg-comment-')
afterAll(temp.cleanup)

const gates = (buildPasses: boolean) => `version: 1
gates:
  - id: build
    name: Build passes
    check: command
    with: { run: ${buildPasses ? 'echo built' : 'exit 3'} }
  - id: qa-signoff
    name: QA Lead — all QA requirements met
    check: manual
    required: ${buildPasses ? 'false' : 'true'}
    with: { signoff: { comment: { permission: write } } }
`

let fake: FakeGitHub
let workspace: string
const pr = eventPayload('pull_request').pull_request

beforeAll(() => {
  workspace = `${temp.dir}/repo`
  gitRepo(workspace, { '.github/release-gates.yml': gates(false), 'README.md': '# Shop\n' })
})
afterEach(async () => {
  await fake.close()
  expect(fake.problems).toEqual([])
})

const action = (inputs: Record<string, string>) =>
  runBundledAction({
    workspace,
    apiUrl: fake.url,
    event: 'pull_request',
    sha: 'a'.repeat(40),
    inputs
  })
const ours = () =>
  (fake.signoffs.comments.get(pr.number) ?? []).filter((comment) => comment.user === TOKEN_LOGIN)
const writes = () =>
  fake.requests
    .filter((request) => /^issues\/(create|update|delete)-comment$/.test(request.operationId))
    .map((request) => `${request.operationId} ${request.status}`)

describe('the pull-request comment, against the fake GitHub', () => {
  it(
    'one comment, updated in place run after run; a person’s comment with the marker is never touched; deleted when asked',
    async () => {
      fake = await startFakeGitHub()
      fake.signoffs.pulls.set(pr.number, { author: 'octocat', headSha: pr.head.sha })
      fake.signoffs.commits.set(pr.head.sha, '2026-11-20T08:00:00Z')
      // Someone pasted the marker into their own comment: it is not ours to edit.
      fake.signoffs.comments.set(pr.number, [
        {
          id: 7,
          user: 'mallory',
          body: `${commentMarker('Release gates')}\nfake verdict`,
          createdAt: '2026-11-20T09:00:00Z'
        }
      ])
      const first = await action({ comment: 'on-failure' })
      expect(first.code).toBe(1)
      expect(writes()).toEqual(['issues/create-comment 201'])
      const [comment] = ours()
      expect(comment!.body).toMatch(
        /^<!-- release-gates:comment Release gates -->\n### ❌ Release gates failed on `[0-9a-f]{7}`/
      )
      expect(comment!.body).toContain('**Required, not met (1)**')
      expect(comment!.body).toContain('- **Build passes** (`build`): ')
      expect(comment!.body).toContain('**Sign-offs pending (1)**')
      expect(comment!.body).toContain(
        '- QA Lead — all QA requirements met: `/release-gates sign-off qa-signoff`'
      )

      // The same failure again: the same comment, untouched (no write at all).
      await action({ comment: 'on-failure' })
      expect(writes()).toEqual(['issues/create-comment 201'])
      expect(ours()).toHaveLength(1)

      // Fixed: on-failure updates the comment it left to say so, rather than leave a stale failure.
      writeTree(workspace, { '.github/release-gates.yml': gates(true) })
      git(workspace, 'commit', '-qam', 'fix the build')
      const passed = await action({ comment: 'on-failure' })
      expect(passed.code).toBe(0)
      expect(writes()).toEqual(['issues/create-comment 201', 'issues/update-comment 200'])
      expect(ours()).toHaveLength(1)
      expect(ours()[0]!.id).toBe(comment!.id)
      expect(ours()[0]!.body).toContain('### ✅ Release gates passed')
      expect(ours()[0]!.body).toContain('(advisory): `/release-gates sign-off qa-signoff`')

      await action({ comment: 'on-failure', 'delete-comment-when-passed': 'true' })
      expect(writes().at(-1)).toBe('issues/delete-comment 204')
      expect(ours()).toEqual([])
      expect(fake.signoffs.comments.get(pr.number)!.map((c) => c.user)).toEqual(['mallory'])
      expect(fake.signoffs.comments.get(pr.number)![0]!.body).toContain('fake verdict')
    },
    E2E_TIMEOUT
  )

  it(
    'comment: never writes none; on-failure on a pass creates none; a token that may not comment costs a warning, not the verdict',
    async () => {
      fake = await startFakeGitHub()
      fake.signoffs.pulls.set(pr.number, { author: 'octocat', headSha: pr.head.sha })
      fake.signoffs.commits.set(pr.head.sha, '2026-11-20T08:00:00Z')
      writeTree(workspace, { '.github/release-gates.yml': gates(false) })
      await action({})
      await action({ comment: 'never' })
      writeTree(workspace, { '.github/release-gates.yml': gates(true) })
      const passed = await action({ comment: 'on-failure' })
      expect(passed.code).toBe(0)
      expect(writes()).toEqual([])
      writeTree(workspace, { '.github/release-gates.yml': gates(false) })
      fake.fail('issues/create-comment', {
        status: 403,
        body: { message: 'Resource not accessible by integration' }
      })
      const denied = await action({ comment: 'always' })
      expect(denied.code).toBe(1)
      expect(denied.commands).toContainEqual(
        expect.objectContaining({
          level: 'warning',
          message: expect.stringContaining('the workflow needs `pull-requests: write`')
        })
      )
    },
    E2E_TIMEOUT
  )
})

describe('renderPullRequestComment', () => {
  it('stays inside GitHub’s 65,536 characters, counting what it left out', () => {
    const gatesMany = Array.from({ length: 3000 }, (_, index) =>
      makeResult({
        id: `gate-${index}`,
        name: `A long checklist item number ${index} ${'x'.repeat(40)}`,
        conclusion: 'failure',
        met: false,
        blocking: true,
        required: true,
        title: 'y'.repeat(60)
      })
    )
    const text = renderPullRequestComment(makeReport(gatesMany, { result: 'failed' }), {
      marker: commentMarker('Release gates'),
      prefix: 'Release gates'
    })
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT)
    expect(text).toMatch(/… and \d+ more lines: every gate is in the check runs\.\n$/)
    expect(text.startsWith('<!-- release-gates:comment Release gates -->\n')).toBe(true)
  })

  it('a marker cannot close its own HTML comment early', () => {
    expect(commentMarker('Release --> gates')).toBe(
      '<!-- release-gates:comment Release - gates -->'
    )
  })
})
