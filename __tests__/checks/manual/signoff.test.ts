import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { manualCheck } from '../../../src/checks/manual/index.js'
import type { GitHubContext, SignoffSource } from '../../../src/model/types.js'
import { startFakeGitHub } from '../../helpers/fake-github.js'
import type { FakeGitHub } from '../../helpers/fake-github.js'
import { emptySignoffState } from '../../helpers/fake-github-signoffs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678'
const OLDER = '0f1e2d3c4b5a69788796a5b4c3d2e1f001234567'
const MERGE = 'ffeeddccbbaa99887766554433221100ffeeddcc'

let fake: FakeGitHub
let source: SignoffSource
beforeAll(async () => {
  fake = await startFakeGitHub()
  // @actions/github reads GITHUB_API_URL when it loads: set it first, as the runner does.
  process.env.GITHUB_API_URL = fake.url
  const { createGitHubClient } = await import('../../../src/github/octokit.js')
  const { createSignoffSource } = await import('../../../src/github/signoff-source.js')
  const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }
  source = createSignoffSource(createGitHubClient('ghs_test', quiet), 'acme', 'shop')
})
afterAll(async () => {
  await fake.close()
  delete process.env.GITHUB_API_URL
})
beforeEach(() => {
  fake.requests.length = 0
  Object.assign(fake.signoffs, emptySignoffState())
  fake.signoffs.pulls.set(12, { author: 'dev', headSha: HEAD })
  fake.signoffs.commits.set(HEAD, '2026-11-20T09:00:00Z')
})
afterEach(() => {
  // Every request and every answer kept to GitHub's published schemas.
  expect(fake.problems).toEqual([])
  fake.problems.length = 0
})

const onPullRequest: GitHubContext = {
  eventName: 'pull_request',
  sha: MERGE,
  owner: 'acme',
  repo: 'shop',
  repository: 'acme/shop',
  pullRequest: {
    number: 12,
    headSha: HEAD,
    headRef: 'feature',
    baseSha: OLDER,
    baseRef: 'main',
    fromFork: false
  }
}

const review = (
  user: string,
  state: string,
  commitId = HEAD,
  submittedAt = '2026-11-20T10:00:00Z'
) => ({
  user,
  state,
  commitId,
  submittedAt
})
const comment = (user: string, body: string, createdAt = '2026-11-20T11:00:00Z') => ({
  user,
  body,
  createdAt
})

const check = (signoff: Record<string, unknown>, github: GitHubContext = onPullRequest) =>
  manualCheck(
    makeGate({
      id: 'qa-signoff',
      name: 'QA Lead — all QA requirements met',
      check: 'manual',
      with: { instructions: 'Run the QA plan.', signoff }
    }),
    { ...makeWorkspace('/tmp'), github, signoffs: source }
  )

describe('sign-offs by approvals, read from the fake GitHub', () => {
  it('an approval on the head commit counts; one on an older commit does not', async () => {
    fake.signoffs.reviews.set(12, [review('bob', 'APPROVED', OLDER), review('qa-lead', 'APPROVED')])
    const outcome = await check({ approvals: { count: 1 } })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe('Signed off on a1b2c3d: @qa-lead')
    expect(outcome.summary).toContain('@bob: approved 0f1e2d3, an older commit than a1b2c3d')
    expect(outcome.evidence).toMatchObject({
      commit: HEAD,
      pullRequest: 12,
      rules: [
        {
          rule: 'approvals',
          met: true,
          signatures: [{ user: 'qa-lead', at: '2026-11-20T10:00:00.000Z' }]
        }
      ]
    })
    const two = await check({ approvals: { count: 2 } })
    expect(two.conclusion).toBe('action_required')
    expect(two.title).toBe('Needs sign-off: needs 1 more approval on a1b2c3d')
  })

  it('a dismissed approval, one superseded by changes requested, and the author’s own do not count', async () => {
    fake.signoffs.reviews.set(12, [
      review('carol', 'APPROVED'),
      review('carol', 'DISMISSED'),
      review('erin', 'APPROVED'),
      review('erin', 'COMMENTED'),
      review('erin', 'CHANGES_REQUESTED'),
      review('dev', 'APPROVED')
    ])
    const outcome = await check({ approvals: {} })
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.summary).toContain('@carol: approval dismissed')
    expect(outcome.summary).toContain('@erin: requested changes')
    expect(outcome.summary).toContain("@dev: the pull request's author")
  })

  it('only listed users and team members count; team membership yes and no', async () => {
    fake.signoffs.teams.set('acme/qa', ['qa-lead'])
    fake.signoffs.reviews.set(12, [review('bob', 'APPROVED'), review('qa-lead', 'APPROVED')])
    const outcome = await check({ approvals: { teams: ['acme/qa'] } })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('@qa-lead (@acme/qa) at 2026-11-20T10:00:00.000Z')
    expect(outcome.summary).toContain('@bob: not in @acme/qa')
    fake.signoffs.teams.set('acme/qa', ['someone-else'])
    const missing = await check({ approvals: { users: ['lead'], teams: ['acme/qa'] } })
    expect(missing.title).toBe(
      'Needs sign-off: needs 1 more approval from @lead or a member of @acme/qa on a1b2c3d'
    )
  })

  it('a team the token cannot read fails closed, saying the token needs read:org', async () => {
    fake.signoffs.teams.set('acme/qa', 'forbidden')
    fake.signoffs.reviews.set(12, [review('qa-lead', 'APPROVED')])
    const outcome = await check({ approvals: { teams: ['acme/qa'] } })
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.summary).toContain(
      '@qa-lead: GitHub answered 403 when asked whether @qa-lead is in @acme/qa: the token needs read:org'
    )
  })

  it('reads past 100 reviews: an approval on the second page counts', async () => {
    fake.signoffs.reviews.set(12, [
      ...Array.from({ length: 130 }, (_, index) => review(`reviewer-${index}`, 'COMMENTED')),
      review('qa-lead', 'APPROVED')
    ])
    const outcome = await check({ approvals: { users: ['qa-lead'] } })
    expect(outcome.conclusion).toBe('success')
    const pages = fake.requests.filter((request) => request.operationId === 'pulls/list-reviews')
    expect(pages.length).toBe(2)
  })
})

describe('sign-offs by comment', () => {
  it('a sign-off comment by an allowed user after the head commit counts, with its note', async () => {
    fake.signoffs.comments.set(12, [
      comment('mallory', '/release-gates sign-off qa-signoff looks fine'),
      comment(
        'qa-lead',
        'Checked everything.\n/release-gates sign-off qa-signoff all 42 QA cases pass'
      )
    ])
    const outcome = await check({ comment: { users: ['qa-lead'] } })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain(
      '@qa-lead at 2026-11-20T11:00:00.000Z: "all 42 QA cases pass"'
    )
    expect(outcome.summary).toContain('@mallory: not @qa-lead')
  })

  it('a revoke withdraws it; a sign-off older than the head commit does not count', async () => {
    fake.signoffs.comments.set(12, [
      comment('qa-lead', '/release-gates sign-off qa-signoff', '2026-11-19T08:00:00Z'),
      comment('lead', '/release-gates sign-off qa-signoff'),
      comment('lead', '/release-gates revoke qa-signoff', '2026-11-20T12:00:00Z')
    ])
    const outcome = await check({ comment: { users: ['qa-lead', 'lead'] } })
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.title).toBe(
      'Needs sign-off: needs 1 more sign-off comment `/release-gates sign-off qa-signoff` from @qa-lead or @lead, after a1b2c3d'
    )
    expect(outcome.summary).toContain(
      '@qa-lead: signed at 2026-11-19T08:00:00.000Z, before a1b2c3d was committed'
    )
    expect(outcome.summary).toContain('@lead: revoked at 2026-11-20T12:00:00.000Z')
  })

  it('reads past 100 comments, and a release issue found by its label', async () => {
    fake.signoffs.comments.set(
      12,
      Array.from({ length: 230 }, (_, index) => comment(`user-${index}`, 'lgtm'))
    )
    fake.signoffs.issues.push(
      { number: 40, labels: ['release'], createdAt: '2026-11-01T00:00:00Z' },
      { number: 41, labels: ['release'], pullRequest: true, createdAt: '2026-11-21T00:00:00Z' },
      { number: 44, labels: ['release'], createdAt: '2026-11-19T00:00:00Z' }
    )
    fake.signoffs.comments.set(44, [comment('deploy-lead', '/release-gates sign-off qa-signoff')])
    const outcome = await check({ comment: { users: ['deploy-lead'], label: 'release' } })
    expect(outcome.conclusion).toBe('success')
    const pages = fake.requests.filter(
      (request) =>
        request.operationId === 'issues/list-comments' && request.path.endsWith('/12/comments')
    )
    expect(pages.length).toBe(3)
  })
})

describe('sign-offs by anyone with a role on the repository', () => {
  it('write access counts, a reader (anyone on a public repository) does not; the role is read per user', async () => {
    fake.signoffs.roles.set('maintainer', 'maintain')
    fake.signoffs.roles.set('triager', 'triage')
    fake.signoffs.comments.set(12, [
      comment('passer-by', '/release-gates sign-off qa-signoff'),
      comment('triager', '/release-gates sign-off qa-signoff'),
      comment('maintainer', '/release-gates sign-off qa-signoff done')
    ])
    const outcome = await check({ comment: { permission: 'write' } })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('@maintainer (maintain access) at 2026-11-20T11:00:00.000Z')
    expect(outcome.summary).toContain('@passer-by: not with write access')
    expect(outcome.summary).toContain('@triager: not with write access')
    const asked = fake.requests.filter(
      (request) => request.operationId === 'repos/get-collaborator-permission-level'
    )
    expect(asked.map((request) => request.path).sort()).toEqual([
      '/repos/acme/shop/collaborators/maintainer/permission',
      '/repos/acme/shop/collaborators/passer-by/permission',
      '/repos/acme/shop/collaborators/triager/permission'
    ])
    const admins = await check({ comment: { permission: 'admin' } })
    expect(admins.title).toBe(
      'Needs sign-off: needs 1 more sign-off comment `/release-gates sign-off qa-signoff` from someone with admin access, after a1b2c3d'
    )
  })

  it('a role GitHub will not tell fails closed with the reason', async () => {
    fake.fail('repos/get-collaborator-permission-level', {
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    fake.signoffs.comments.set(12, [comment('maintainer', '/release-gates sign-off qa-signoff')])
    const outcome = await check({ comment: { permission: 'write' } })
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.summary).toContain(
      "@maintainer: GitHub answered 403 when asked for @maintainer's role on acme/shop"
    )
  })
})

describe('sign-offs on push, tag, release and dispatch', () => {
  const onPush: GitHubContext = {
    eventName: 'push',
    sha: MERGE,
    owner: 'acme',
    repo: 'shop',
    repository: 'acme/shop'
  }

  it('finds the pull request that brought the commit, and judges its head', async () => {
    fake.signoffs.pulls.set(12, {
      author: 'dev',
      headSha: HEAD,
      merged: true,
      labels: ['qa-approved']
    })
    fake.signoffs.commitPulls.set(MERGE, [12])
    fake.signoffs.reviews.set(12, [review('qa-lead', 'APPROVED')])
    const outcome = await check({ approvals: {}, label: 'qa-approved' }, onPush)
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain(
      'Evidence read from pull request #12, which brought ffeeddc (push)'
    )
    expect(outcome.summary).toContain('A label is weaker evidence')
  })

  it('no pull request brought the commit: says so', async () => {
    const outcome = await check({ approvals: {}, label: 'qa-approved' }, onPush)
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.title).toBe(
      'Needs sign-off: needs an approval on a pull request; needs the label qa-approved on a pull request'
    )
    expect(outcome.summary).toContain('no pull request brought ffeeddc (push)')
  })

  it('without a token and repository, nothing is verified and it says why', async () => {
    const outcome = await manualCheck(
      makeGate({ id: 'qa', check: 'manual', with: { signoff: { label: 'qa' } } }),
      makeWorkspace('/tmp')
    )
    expect(outcome.conclusion).toBe('action_required')
    expect(outcome.summary).toContain('this run has no GitHub token and repository')
  })
})
