import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/errors.js'
import { evaluate, loadPlan } from '../../src/engine/evaluate.js'
import { createGitHubClient } from '../../src/github/octokit.js'
import { remoteGatesReader } from '../../src/github/remote-config.js'
import { renderJobSummary } from '../../src/report/summary.js'
import { startFakeGitHub } from '../helpers/fake-github.js'
import type { FakeGitHub } from '../helpers/fake-github.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-remote-')
const quiet = { info: () => undefined, warning: () => undefined, debug: () => undefined }
const POLICY_SHA = 'a1'.repeat(20)
const SECURITY_SHA = 'b2'.repeat(20)
let fake: FakeGitHub

beforeAll(() => {
  writeTree(temp.dir, { 'README.md': '# App\n' })
})
afterAll(() => {
  temp.cleanup()
})
beforeEach(async () => {
  fake = await startFakeGitHub()
  fake.repositories.set('acme/policy', {
    refs: new Map([['v1', POLICY_SHA]]),
    files: new Map([
      [
        `${POLICY_SHA}:gates/base.yml`,
        `version: 1
extends: [./more.yml, 'github:acme/security/secrets.yml@${SECURITY_SHA}']
gates:
  - { id: readme, check: files, with: { must-exist: [README.md] } }
  - { id: changelog, check: files, with: { must-exist: [CHANGELOG.md] } }
`
      ],
      [
        `${POLICY_SHA}:gates/more.yml`,
        'version: 1\ngates:\n  - { id: echo, check: command, with: { run: echo shared } }\n'
      ],
      [`${POLICY_SHA}:gates/escape.yml`, 'version: 1\nextends: ../../../etc/x.yml\ngates: []\n'],
      [
        `${POLICY_SHA}:gates/loop.yml`,
        `version: 1\nextends: 'github:acme/policy/gates/loop.yml@${POLICY_SHA}'\ngates: []\n`
      ]
    ])
  })
  fake.repositories.set('acme/security', {
    refs: new Map(),
    files: new Map([
      [
        `${SECURITY_SHA}:secrets.yml`,
        'version: 1\ngates:\n  - { id: no-env, check: files, with: { must-not-exist: [.env] } }\n'
      ]
    ])
  })
})
afterEach(async () => {
  await fake.close()
  expect(fake.problems).toEqual([])
})

const remote = () =>
  remoteGatesReader(createGitHubClient('ghs_test', quiet, { timeoutMs: 2000, baseUrl: fake.url }))
const gatesFile = (text: string) => writeTree(temp.dir, { '.github/release-gates.yml': text })
const problemsOf = async (options: { remote?: boolean } = {}) => {
  try {
    await loadPlan({ cwd: temp.dir, ...(options.remote !== false && { remote: remote() }) })
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('extends: github:OWNER/REPO/PATH@REF', () => {
  it('reads the shared file at the commit its tag resolves to, with what it extends there; the report records each commit', async () => {
    gatesFile(`version: 1
extends: github:acme/policy/gates/base.yml@v1
gates:
  - { id: changelog, required: false }
`)
    const plan = await loadPlan({ cwd: temp.dir, remote: remote() })
    expect(plan.gates.map((gate) => gate.id).sort()).toEqual([
      'changelog',
      'echo',
      'no-env',
      'readme'
    ])
    expect(plan.gates.find((gate) => gate.id === 'changelog')!.required).toBe(false)
    expect(plan.gates.find((gate) => gate.id === 'echo')!.location).toBe(
      `github:acme/policy/gates/more.yml@${POLICY_SHA.slice(0, 12)}:3:5`
    )
    expect(plan.extends).toEqual([
      { name: 'github:acme/policy/gates/base.yml@v1', sha: POLICY_SHA },
      { name: `github:acme/security/secrets.yml@${SECURITY_SHA}`, sha: SECURITY_SHA }
    ])
    // Every file of the run from one commit of each repository: the tag resolved once.
    expect(
      fake.requests.filter((request) => request.operationId === 'repos/get-commit')
    ).toHaveLength(1)
    const report = await evaluate(plan, { cwd: temp.dir, env: {}, logger: quiet })
    expect(report.extends).toEqual(plan.extends)
    expect(renderJobSummary(report)).toContain(
      `Extends \`github:acme/policy/gates/base.yml@v1\` at \`${POLICY_SHA.slice(0, 12)}\``
    )
  })

  it('each failure is a configuration error at the extends line that says why', async () => {
    const cases: Array<[string, string]> = [
      ['github:acme/policy/gates/base.yml', 'the @REF is required'],
      [
        'github:acme/private/gates.yml@v1',
        'no ref v1 in acme/private, or the repository is private and the token cannot see it (it needs contents: read there'
      ],
      ['github:acme/policy/gates/nothing.yml@v1', 'acme/policy has no gates/nothing.yml at v1'],
      ['github:acme/policy/gates/escape.yml@v1', 'outside the repository'],
      ['github:acme/policy/gates/loop.yml@v1', "'extends' forms a cycle"]
    ]
    for (const [name, message] of cases) {
      gatesFile(
        `version: 1\nextends: '${name}'\ngates:\n  - { id: local, check: command, with: { run: 'true' } }\n`
      )
      const problems = await problemsOf()
      expect(problems.map((problem) => problem.message).join('\n')).toContain(message)
      if (!name.includes('escape') && !name.includes('loop'))
        expect(problems[0]).toMatchObject({ file: '.github/release-gates.yml', line: 2, col: 10 })
    }
    fake.fail('repos/get-commit', {
      status: 403,
      body: { message: 'Resource not accessible by integration' }
    })
    gatesFile("version: 1\nextends: 'github:acme/policy/gates/base.yml@v1'\ngates: []\n")
    expect((await problemsOf())[0]!.message).toContain(
      'the token may not read acme/policy (HTTP 403): it needs contents: read there'
    )
    expect((await problemsOf({ remote: false }))[0]!.message).toContain('give a token')
  })
})
