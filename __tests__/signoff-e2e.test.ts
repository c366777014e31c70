import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it } from '@jest/globals'
import { eventPayload, runBundledAction } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'
import { gitRepo, tempDir } from './helpers/fs.js'

const temp = tempDir('rg-signoff-e2e-')
let fake: FakeGitHub | undefined
afterEach(async () => {
  await fake?.close()
  temp.cleanup()
})

const GATES = `version: 1
gates:
  - id: qa-signoff
    name: QA Lead — all QA requirements met
    section: Sign-off
    check: manual
    with:
      instructions: Run the QA plan on staging.
      signoff:
        approvals: { teams: [Codertocat/qa] }
`

describe('the bundled action reads sign-offs from GitHub', () => {
  it('an approval on the PR head by a QA team member meets the gate: check run, summary and evidence say who', async () => {
    const payload = eventPayload('pull_request')
    const pull = payload.pull_request
    fake = await startFakeGitHub({ prefix: '/api/v3' })
    fake.signoffs.pulls.set(pull.number, { author: 'Codertocat', headSha: pull.head.sha })
    fake.signoffs.reviews.set(pull.number, [
      { user: 'qa-lead', state: 'APPROVED', commitId: pull.head.sha },
      { user: 'Codertocat', state: 'APPROVED', commitId: pull.head.sha }
    ])
    fake.signoffs.teams.set('Codertocat/qa', ['qa-lead'])
    gitRepo(temp.dir, { '.github/release-gates.yml': GATES })

    const run = await runBundledAction({
      workspace: temp.dir,
      apiUrl: fake.url,
      event: 'pull_request'
    })
    expect(fake.problems).toEqual([])
    expect(run.code).toBe(0)
    const gateRun = fake.checkRuns.find((checkRun) =>
      String(checkRun.body.name).endsWith('QA Lead — all QA requirements met')
    )
    expect(gateRun?.body).toMatchObject({ head_sha: pull.head.sha, conclusion: 'success' })
    expect(JSON.stringify(gateRun?.body.output)).toContain('@qa-lead (@Codertocat/qa)')
    const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8')) as {
      gates: Array<{ evidence?: unknown }>
    }
    expect(report.gates[0]!.evidence).toMatchObject({
      commit: pull.head.sha,
      pullRequest: pull.number,
      rules: [
        {
          rule: 'approvals',
          met: true,
          signatures: [{ user: 'qa-lead', via: '@Codertocat/qa' }],
          rejected: ["@Codertocat: the pull request's author"]
        }
      ]
    })
  }, 60_000)
})
