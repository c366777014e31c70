import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { GITHUB_ACTIONS_APP_ID, githubCheck } from '../../../src/checks/github/index.js'
import { createGitHubClient } from '../../../src/github/octokit.js'
import { createSettingsSource } from '../../../src/github/settings-source.js'
import { startFakeGitHub } from '../../helpers/fake-github.js'
import type { FakeGitHub } from '../../helpers/fake-github.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }
let fake: FakeGitHub

beforeEach(async () => {
  fake = await startFakeGitHub()
})
afterEach(async () => {
  await fake.close()
  expect(fake.problems).toEqual([])
})

const ALL = {
  protected: true,
  'requires-check': 'Release gates (production)',
  'secret-scanning': true,
  'dependabot-alerts': true,
  environment: 'production'
}
const SHA = 'a'.repeat(40)
const RUN_URL = 'https://github.com/Codertocat/Hello-World/actions/runs/42'
const workspaceFor = () => {
  const octokit = createGitHubClient('ghs_test', quiet, { timeoutMs: 2000, baseUrl: fake.url })
  return {
    ...makeWorkspace(process.cwd()),
    github: { eventName: 'push', sha: SHA, runUrl: RUN_URL },
    settings: createSettingsSource(octokit, 'Codertocat', 'Hello-World', {
      checkPrefix: 'Release gates (production)',
      runUrl: RUN_URL
    })
  }
}
const judge = (options: Record<string, unknown> = ALL, workspace = workspaceFor()) =>
  githubCheck(makeGate({ id: 'repo', check: 'github', with: options }), workspace)
const calls = (operationId: string) =>
  fake.requests.filter((request) => request.operationId === operationId).length

describe('github: the repository settings, read through the API', () => {
  it('passes when each setting is as required: ruleset bound to GitHub Actions, scanning, alerts, a protected environment', async () => {
    fake.settings.rules = [
      { type: 'pull_request' },
      {
        type: 'required_status_checks',
        checks: [{ context: 'Release gates (production)', integration_id: GITHUB_ACTIONS_APP_ID }]
      }
    ]
    fake.settings.protection = 'forbidden' // GITHUB_TOKEN cannot read classic protection: rulesets decide
    fake.settings.security = { scanning: 'enabled', pushProtection: 'enabled' }
    fake.settings.vulnerabilityAlerts = true
    fake.settings.environments.set('production', { reviewers: 2, waitTimer: 0 })
    const outcome = await judge()
    expect(outcome).toMatchObject({
      conclusion: 'success',
      title: 'The repository is set up as required (6 settings)'
    })
    expect(outcome.summary).toContain('required by the ruleset, bound to GitHub Actions')
    expect(outcome.summary).toContain('2 required reviewers')
  })

  it('a same-named check from any source does not count; every unmet setting says what it is', async () => {
    fake.settings.protection = {
      checks: [
        { context: 'Release gates (production)', app_id: null },
        { context: 'build', app_id: GITHUB_ACTIONS_APP_ID }
      ]
    }
    fake.settings.security = { scanning: 'enabled', pushProtection: 'disabled' }
    fake.settings.environments.set('production', { reviewers: 0, waitTimer: 0 })
    const outcome = await judge()
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toMatch(
      /^4 of 6 repository settings not as required: required check Release gates \(production\)/
    )
    expect(outcome.summary).toContain(
      'from any source (branch protection): a same-named status from anyone else would satisfy it'
    )
    expect(outcome.summary).toContain('| ❌ | push protection | enabled | disabled |')
    expect(outcome.summary).toContain('| ❌ | Dependabot alerts | enabled | disabled |')
    expect(outcome.summary).toContain('exists, unprotected')
    expect(outcome.summary).toContain('| ✅ | branch main |')
  })

  it('a setting the token cannot read fails with the permission it needs, never passes', async () => {
    fake.settings.vulnerabilityAlerts = 'forbidden'
    const outcome = await judge({
      'secret-scanning': true,
      'dependabot-alerts': true,
      protected: true
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain(
      '| ❌ | secret scanning | enabled, with push protection | unknown: the token may not read this (HTTP 403): it needs administration: read |'
    )
    expect(outcome.summary).toContain(
      '| ❌ | Dependabot alerts | enabled | unknown: the token may not read this (HTTP 403)'
    )
    expect(outcome.summary).toContain(
      '| ❌ | branch main | protected (branch protection or a ruleset) | not protected |'
    )
    const noToken = await githubCheck(
      makeGate({ id: 'repo', check: 'github', with: ALL }),
      makeWorkspace(process.cwd())
    )
    expect(noToken).toMatchObject({
      conclusion: 'failure',
      title: expect.stringContaining('no token')
    })
  })

  describe('checks-green: the pipelines on the commit', () => {
    it('required: each check the branch requires passed, from the app a rule binds it to; this action’s own is the verdict being formed', async () => {
      fake.settings.rules = [
        {
          type: 'required_status_checks',
          checks: [
            { context: 'build', integration_id: GITHUB_ACTIONS_APP_ID },
            { context: 'ci/circleci' },
            { context: 'Release gates (production)', integration_id: GITHUB_ACTIONS_APP_ID }
          ]
        }
      ]
      fake.settings.commitCheckRuns = [
        { sha: SHA, name: 'build', status: 'completed', conclusion: 'failure' },
        // A re-run replaced the failed run: the latest one decides.
        { sha: SHA, name: 'build', status: 'completed', conclusion: 'success' },
        { sha: SHA, name: 'lint', status: 'completed', conclusion: 'failure' }
      ]
      fake.settings.commitStatuses = [
        { sha: SHA, context: 'ci/circleci', state: 'failure' },
        { sha: SHA, context: 'ci/circleci', state: 'success' }
      ]
      const outcome = await judge({ 'checks-green': 'required' })
      expect(outcome.summary).toContain('| ✅ | required check build | passed | success |')
      expect(outcome.summary).toContain(
        '| ✅ | required check ci/circleci | passed | status success |'
      )
      expect(outcome.summary).not.toContain('lint') // not required
      expect(outcome.summary).not.toContain('Release gates (production)')
      expect(outcome).toMatchObject({ conclusion: 'success' })
      expect(calls('repos/get-branch-rules')).toBe(1)
    })

    it('required: a failed, a missing and an impostor check each fail with what was found', async () => {
      fake.settings.protection = {
        checks: [
          { context: 'build', app_id: GITHUB_ACTIONS_APP_ID },
          { context: 'test', app_id: null },
          { context: 'deploy-preview', app_id: GITHUB_ACTIONS_APP_ID }
        ]
      }
      fake.settings.commitCheckRuns = [
        { sha: SHA, name: 'build', status: 'completed', conclusion: 'timed_out' },
        {
          sha: SHA,
          name: 'deploy-preview',
          status: 'completed',
          conclusion: 'success',
          appId: 999
        },
        // Another commit's green run proves nothing about this one.
        { sha: 'b'.repeat(40), name: 'test', status: 'completed', conclusion: 'success' }
      ]
      const outcome = await judge({ 'checks-green': 'required', protected: true })
      expect(outcome.conclusion).toBe('failure')
      expect(outcome.title).toBe(
        '3 of 4 repository settings not as required: required check build: expected passed, got timed_out'
      )
      expect(outcome.summary).toContain(
        '| ❌ | required check test | passed | not reported on this commit |'
      )
      expect(outcome.summary).toContain(
        '| ❌ | required check deploy-preview | passed | reported only by app 999; the branch protection binds it to app 15368 |'
      )
    })

    it('required: a branch that requires nothing but this action is not proof of green pipelines', async () => {
      fake.settings.rules = [
        {
          type: 'required_status_checks',
          checks: [{ context: 'Release gates (production)', integration_id: GITHUB_ACTIONS_APP_ID }]
        }
      ]
      const outcome = await judge({ 'checks-green': 'required' })
      expect(outcome.conclusion).toBe('failure')
      expect(outcome.summary).toContain('requires only this action’s own check')
    })

    it('all: every check run and status counts but this action’s own and this workflow run’s running jobs', async () => {
      fake.settings.commitCheckRuns = [
        { sha: SHA, name: 'build', status: 'completed', conclusion: 'success' },
        { sha: SHA, name: 'e2e', status: 'completed', conclusion: 'skipped' },
        // This job itself: running while it evaluates, never waited for.
        { sha: SHA, name: 'release', status: 'in_progress', detailsUrl: `${RUN_URL}/job/7` }
      ]
      // An earlier attempt of this action's run, failed: a verdict, not a pipeline.
      const octokit = createGitHubClient('ghs_test', quiet, { baseUrl: fake.url })
      await octokit.rest.checks.create({
        owner: 'Codertocat',
        repo: 'Hello-World',
        head_sha: SHA,
        name: 'Release gates (production) / Secrets',
        status: 'completed',
        conclusion: 'failure',
        external_id: 'release-gates:secrets'
      })
      const green = await judge({ 'checks-green': 'all' })
      expect(green).toMatchObject({
        conclusion: 'success',
        title: expect.stringContaining('2 settings')
      })

      fake.settings.commitStatuses = [{ sha: SHA, context: 'codecov/patch', state: 'error' }]
      const red = await judge({ 'checks-green': 'all' })
      expect(red.title).toBe(
        '1 of 3 repository settings not as required: status codecov/patch: expected passed, got status error'
      )

      fake.settings.commitCheckRuns = []
      fake.settings.commitStatuses = []
      const nothing = await judge({ 'checks-green': 'all' })
      expect(nothing.conclusion).toBe('failure')
      expect(nothing.summary).toContain('nothing shows a pipeline ran on this commit')
    })

    it('wait-for-checks polls until the running checks finish, and judges what still runs when the wait is over', async () => {
      const build = { sha: SHA, name: 'build', status: 'in_progress' as const }
      fake.settings.commitCheckRuns = [build]
      setTimeout(() => Object.assign(build, { status: 'completed', conclusion: 'success' }), 1500)
      const workspace = workspaceFor()
      const waited = await judge({ 'checks-green': 'all', 'wait-for-checks': '20s' }, workspace)
      expect(waited.conclusion).toBe('success')
      expect(calls('checks/list-for-ref')).toBeGreaterThanOrEqual(2)
      expect(workspace.logs.join('\n')).toContain('Waiting for 1 check on aaaaaaa: build')

      const still = { sha: SHA, name: 'slow', status: 'queued' as const }
      fake.settings.commitCheckRuns = [still]
      const started = Date.now()
      const expired = await judge({ 'checks-green': 'all', 'wait-for-checks': '2s' })
      expect(Date.now() - started).toBeGreaterThanOrEqual(1900)
      expect(expired.summary).toContain('| ❌ | check run slow | passed | still running (queued) |')
      // Without a wait, a running check is simply not green.
      expect((await judge({ 'checks-green': 'all' })).conclusion).toBe('failure')
    })

    it('a token that cannot read checks fails with the permission it needs', async () => {
      fake.settings.commitCheckRuns = 'forbidden'
      const outcome = await judge({ 'checks-green': 'all' })
      expect(outcome.summary).toContain(
        '| ❌ | checks on the commit | passed | unknown: the token may not read this (HTTP 403): it needs checks: read and statuses: read |'
      )
    })
  })
})
