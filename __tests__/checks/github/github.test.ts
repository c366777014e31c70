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
const judge = (options: Record<string, unknown> = ALL) => {
  const octokit = createGitHubClient('ghs_test', quiet, { timeoutMs: 2000, baseUrl: fake.url })
  return githubCheck(makeGate({ id: 'repo', check: 'github', with: options }), {
    ...makeWorkspace(process.cwd()),
    settings: createSettingsSource(octokit, 'Codertocat', 'Hello-World')
  })
}

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
})
