import { readFileSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { eventPayload, runBundledAction } from './helpers/action-run.js'
import type { FixturePayload } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'
import { gitRepo, tempDir, writeTree } from './helpers/fs.js'

// Each check-run write is spaced a second apart, as GitHub asks: these tests take real time.
const E2E_TIMEOUT = 120_000

const temp = tempDir('rg-e2e-')
afterAll(temp.cleanup)

/** The README's example gates, plus the cases the reporter must handle. */
const GATES = `version: 1
defaults: { environment: production }
environments:
  production: {}
  staging:
    extends: production
    gates:
      smoke: { enabled: false }
gates:
  - id: build
    name: Build passes
    section: Code Quality
    check: command
    with: { run: echo built }
  - id: no-console
    name: Console.log and debug statements removed from production code
    section: Code Quality
    check: files
    with:
      must-not-match:
        - { paths: 'src/**/*.ts', pattern: 'console\\.log', message: debug output left in production code }
  - id: big-output
    name: Unit tests passing
    section: Testing
    check: command
    with:
      run: node -e "for (let i = 0; i < 1000; i++) console.log('ok ' + i + ' ' + 'é'.repeat(100))"
      tail-lines: 1000
  - id: qa-signoff
    name: QA Lead — all QA requirements met
    section: Sign-off
    check: manual
    with: { instructions: Regression plan executed on staging }
  - id: lighthouse
    name: Performance budget met (Lighthouse score >90)
    section: Code Quality
    check: command
    required: false
    with: { run: exit 1 }
  - id: flaky-e2e
    name: E2E tests passing on staging environment
    section: Testing
    check: command
    with: { run: exit 1 }
    waivers:
      - { reason: E2E runner being replaced, owner: '@qa-lead', expires: '2099-01-01' }
  - id: smoke
    name: Health endpoint returns 200 OK
    section: Post-Deployment
    check: command
    with: { run: echo up }
`

/** README's workflow example, and the inputs its Release Gates step passes: what this suite runs. */
function readmeWorkflow(): {
  on: Record<string, unknown>
  permissions: Record<string, string>
  inputs: Record<string, string>
} {
  const readme = readFileSync('README.md', 'utf8')
  const block = /## Use it in a workflow\s+```yaml\n([\s\S]*?)```/.exec(readme)![1]!
  const workflow = parse(block) as {
    on: Record<string, unknown>
    permissions: Record<string, string>
    jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, string> }> }>
  }
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps)
  const step = steps.find((candidate) =>
    candidate.uses?.startsWith('release-gates/release-gates@')
  )!
  return { on: workflow.on, permissions: workflow.permissions, inputs: step.with ?? {} }
}

let fake: FakeGitHub
let workspace: string

beforeAll(() => {
  workspace = `${temp.dir}/repo`
  // 120 console.log hits in one file: 120 annotations.
  const lines = Array.from({ length: 120 }, (_, index) => `console.log('debug ${index}')`).join(
    '\n'
  )
  gitRepo(workspace, {
    '.github/release-gates.yml': GATES,
    'src/app.ts': `${lines}\n`,
    'README.md': '# Shop\n'
  })
})
afterEach(async () => {
  await fake.close()
  expect(fake.problems).toEqual([])
})

describe('the bundled action against the fake GitHub', () => {
  it(
    'pull_request: one completed check run per gate on the PR head, the overall check, summary, outputs, exit 1',
    async () => {
      fake = await startFakeGitHub({ prefix: '/api/v3' }) // GitHub Enterprise Server's API path
      const pr = eventPayload('pull_request').pull_request
      const example = readmeWorkflow()
      expect(example.on).toHaveProperty('pull_request')
      expect(example.permissions).toEqual({ contents: 'read', checks: 'write' })
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'pull_request',
        sha: 'a'.repeat(40),
        inputs: example.inputs
      })

      expect(run.code).toBe(1)
      expect(
        fake.requests.every((request) =>
          request.path.startsWith('/api/v3/repos/Codertocat/Hello-World/check-runs')
        )
      ).toBe(true)
      const runs = fake.checkRuns
      expect(runs.map((checkRun) => checkRun.body.head_sha)).toEqual(
        Array(runs.length).fill(pr.head.sha)
      )
      // Each gate's run is written as it finishes (in finishing order), the overall one last.
      const described = runs.map((checkRun) => [
        checkRun.body.name,
        checkRun.body.status,
        checkRun.body.conclusion
      ])
      expect(described.at(-1)).toEqual(['Release gates (staging)', 'completed', 'failure'])
      expect(described.slice(0, -1).sort()).toEqual(
        [
          ['Release gates (staging) / Build passes', 'completed', 'success'],
          [
            'Release gates (staging) / Console.log and debug statements removed from production code',
            'completed',
            'failure'
          ],
          ['Release gates (staging) / Unit tests passing', 'completed', 'success'],
          [
            'Release gates (staging) / QA Lead — all QA requirements met',
            'completed',
            'action_required'
          ],
          [
            'Release gates (staging) / Performance budget met (Lighthouse score >90)',
            'completed',
            'neutral'
          ],
          [
            'Release gates (staging) / E2E tests passing on staging environment',
            'completed',
            'neutral'
          ],
          ['Release gates (staging) / Health endpoint returns 200 OK', 'completed', 'skipped']
        ].sort()
      )
      const overall = runs.at(-1)!.body.output as Record<string, string>
      expect(overall.title).toBe('2 required gates unmet: no-console, qa-signoff')
      for (const id of [
        'build',
        'no-console',
        'big-output',
        'qa-signoff',
        'lighthouse',
        'flaky-e2e',
        'smoke'
      ])
        expect(overall.summary).toContain(`\`${id}\``)

      // 120 annotations: the create carries 50, two updates append 50 and 20.
      const lint = runs.find((checkRun) =>
        String(checkRun.body.name).includes('Console.log and debug')
      )!
      const lintRequests = fake.requests.filter(
        (request) =>
          request.operationId === 'checks/update' || request.body?.name === lint.body.name
      )
      expect(
        lintRequests.map((request) => [
          request.operationId,
          (request.body?.output as { annotations?: unknown[] }).annotations?.length
        ])
      ).toEqual([
        ['checks/create', 50],
        ['checks/update', 50],
        ['checks/update', 20]
      ])
      expect(lint.annotations).toHaveLength(120)
      expect(lint.annotations[0]).toEqual({
        path: 'src/app.ts',
        start_line: 1,
        end_line: 1,
        start_column: 1,
        end_column: 1,
        annotation_level: 'failure',
        message: 'debug output left in production code'
      })

      // ~200 KB of output: cut to GitHub's byte limit, UTF-8 intact, with a note.
      const big = runs.find((checkRun) => checkRun.body.external_id === 'release-gates:big-output')!
        .body.output as { summary: string }
      expect(Buffer.byteLength(big.summary)).toBeLessThanOrEqual(65_535)
      expect(Buffer.byteLength(big.summary)).toBeGreaterThan(60_000)
      expect(big.summary).toContain("Cut to GitHub's 65,535-byte limit")
      expect(big.summary).not.toContain('\uFFFD')

      expect(run.outputs).toMatchObject({
        result: 'failed',
        'failed-gates': '["no-console","qa-signoff"]'
      })
      const report = JSON.parse(readFileSync(run.outputs.report!, 'utf8'))
      expect(report).toMatchObject({
        environment: 'staging',
        stage: 'pre-release',
        github: { eventName: 'pull_request', sha: pr.head.sha }
      })
      expect(
        report.gates.find((gate: { id: string }) => gate.id === 'flaky-e2e').waiver
      ).toMatchObject({ owner: '@qa-lead' })
      expect(run.summary).toContain(
        '## ❌ Release gates failed: 2 required gates unmet: no-console, qa-signoff'
      )
      expect(run.summary).toContain(`commit \`${pr.head.sha.slice(0, 7)}\``)
      expect(run.summary).toContain('| `flaky-e2e` | 🟡 in force | @qa-lead | 2099-01-01 |')
      expect(
        run.commands
          .filter((command) => command.level === 'error')
          .map((command) => command.message)
      ).toEqual(['Required gates unmet: no-console, qa-signoff'])
      expect(run.stdout).toContain('::add-mask::ghs_16C7e42F292c6912E7710c838347Ae178B4a')
      // Each phase folds in the log: reading, evaluating (its progress inside), publishing.
      const groups = run.stdout.match(/^::(?:group::.*|endgroup::)$/gm)
      expect(groups).toEqual([
        expect.stringMatching(/^::group::Reading /),
        '::endgroup::',
        expect.stringMatching(/^::group::Evaluating \d+ gates$/),
        '::endgroup::',
        '::group::Publishing: check runs, job summary, outputs',
        '::endgroup::'
      ])
    },
    E2E_TIMEOUT
  )
})

describe('events: checks land on the commit the event is about', () => {
  it.each([
    ['push', (payload: FixturePayload) => payload.after],
    ['merge_group', (payload: FixturePayload) => payload.merge_group.head_sha],
    ['workflow_run', (payload: FixturePayload) => payload.workflow_run.head_sha]
  ] as const)(
    '%s',
    async (event, expectedSha) => {
      fake = await startFakeGitHub()
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event,
        sha: 'b'.repeat(40),
        inputs: { only: 'build' }
      })
      expect(run.code).toBe(0)
      const sha = event === 'push' ? 'b'.repeat(40) : expectedSha(eventPayload(event))
      expect(
        fake.checkRuns.map((checkRun) => [
          checkRun.body.name,
          checkRun.body.head_sha,
          checkRun.body.conclusion
        ])
      ).toEqual([
        ['Release gates (production) / Build passes', sha, 'success'],
        ['Release gates (production)', sha, 'success']
      ])
      expect(run.outputs).toMatchObject({ result: 'passed', 'failed-gates': '[]' })
      expect(run.summary).toContain('## ✅ Release gates passed')
    },
    E2E_TIMEOUT
  )
})

describe('when GitHub says no, or says later', () => {
  it(
    '403 "Resource not accessible by integration": job summary and the 10 most important annotations per level, exit 1',
    async () => {
      fake = await startFakeGitHub()
      fake.fail('checks/create', {
        status: 403,
        body: {
          message: 'Resource not accessible by integration',
          documentation_url: 'https://docs.github.com/rest/checks/runs#create-a-check-run',
          status: '403'
        }
      })
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'pull_request',
        inputs: { environment: 'staging' }
      })
      expect(run.code).toBe(1)
      expect(fake.requests).toHaveLength(1) // no retry of a permission error, no further writes
      expect(run.stdout).toContain(
        'Check runs could not be written (Resource not accessible by integration'
      )
      expect(run.stdout).toContain('permissions: { checks: write, contents: read }')
      const errors = run.commands.filter((command) => command.level === 'error')
      const warnings = run.commands.filter((command) => command.level === 'warning')
      expect(errors).toHaveLength(10)
      expect(warnings.length).toBeLessThanOrEqual(10)
      // Most important first: the unmet required gates, at their definitions in the gates file.
      expect(errors[0]).toMatchObject({
        message: expect.stringContaining('1 of 1 file rule broken'),
        properties: expect.stringContaining('file=.github/release-gates.yml,line=15,col=5')
      })
      expect(errors[1]).toMatchObject({
        message: 'Needs sign-off: QA Lead — all QA requirements met'
      })
      expect(errors[2]).toMatchObject({
        message: 'debug output left in production code',
        properties: expect.stringContaining('file=src/app.ts,line=1')
      })
      expect(errors.at(-1)).toMatchObject({
        message: 'Required gates unmet: no-console, qa-signoff'
      })
      expect(warnings.map((command) => command.message)).toContain('`exit 1` exited with 1')
      expect(run.stdout).toContain(
        'more annotations not shown: the runner shows 10 per level per step'
      )
      expect(run.summary).toContain('## ❌ Release gates failed')
      expect(run.outputs.result).toBe('failed')
    },
    E2E_TIMEOUT
  )

  it(
    'check-runs: always turns the same 403 into a configuration failure (exit 2)',
    async () => {
      fake = await startFakeGitHub()
      fake.fail('checks/create', {
        status: 403,
        body: { message: 'Resource not accessible by integration' }
      })
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        inputs: { only: 'build', 'check-runs': 'always' }
      })
      expect(run.code).toBe(2)
      expect(run.stdout).toContain(
        '::error::check-runs: always, but writing check runs failed: Resource not accessible by integration'
      )
    },
    E2E_TIMEOUT
  )

  it(
    'check-runs: never makes no request and annotates through workflow commands',
    async () => {
      fake = await startFakeGitHub()
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        inputs: { only: 'no-console', 'check-runs': 'never' }
      })
      expect(run.code).toBe(1)
      expect(fake.requests).toEqual([])
      expect(run.commands.filter((command) => command.level === 'error')).toHaveLength(10)
    },
    E2E_TIMEOUT
  )

  it(
    'a 502 is retried and the check run is written',
    async () => {
      fake = await startFakeGitHub()
      fake.fail('checks/create', { status: 502, body: { message: 'Server Error' } })
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        inputs: { only: 'build' }
      })
      expect(run.code).toBe(0)
      expect(fake.requests.map((request) => [request.operationId, request.status])).toEqual([
        ['checks/create', 502],
        ['checks/create', 201],
        ['checks/create', 201]
      ])
      expect(fake.checkRuns).toHaveLength(2)
    },
    E2E_TIMEOUT
  )

  it(
    'a secondary rate limit (403 with retry-after) is waited out, then the write succeeds',
    async () => {
      fake = await startFakeGitHub()
      fake.fail('checks/create', {
        status: 403,
        headers: { 'retry-after': '1' },
        body: {
          message:
            'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          documentation_url:
            'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits'
        }
      })
      const started = Date.now()
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        inputs: { only: 'build' }
      })
      expect(run.code).toBe(0)
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000)
      expect(run.stdout).toContain(
        'GitHub secondary rate limit on POST /repos/{owner}/{repo}/check-runs; retrying in 1s'
      )
      expect(fake.requests.map((request) => request.status)).toEqual([403, 201, 201])
    },
    E2E_TIMEOUT
  )
})

describe('big plans and protected gates files', () => {
  it(
    '80 gates are grouped one check run per section, every item a row',
    async () => {
      fake = await startFakeGitHub()
      const big = `${temp.dir}/big`
      const sections = ['Code Readiness', 'Testing', 'Security', 'Documentation']
      const gates = Array.from({ length: 80 }, (_, index) => {
        const failing = index === 41
        return `  - { id: item-${index}, name: 'Checklist item ${index}', section: ${sections[index % 4]}, check: files, with: { must-exist: [${failing ? 'MISSING.md' : 'README.md'}] } }`
      })
      gitRepo(big, {
        '.github/release-gates.yml': `version: 1\ngates:\n${gates.join('\n')}\n`,
        'README.md': '# x\n'
      })
      const run = await runBundledAction({ workspace: big, apiUrl: fake.url, event: 'push' })
      expect(run.code).toBe(1)
      expect(run.stdout).toContain(
        '80 gates exceed max-check-runs (50): one check run per section (4)'
      )
      expect(
        fake.checkRuns.map((checkRun) => [checkRun.body.name, checkRun.body.conclusion])
      ).toEqual([
        ['Release gates / Code Readiness', 'success'],
        ['Release gates / Testing', 'failure'],
        ['Release gates / Security', 'success'],
        ['Release gates / Documentation', 'success'],
        ['Release gates', 'failure']
      ])
      const testing = fake.checkRuns[1]!.body.output as { title: string; summary: string }
      expect(testing.title).toBe('1 of 20 required items unmet in Testing')
      for (let index = 1; index < 80; index += 4)
        expect(testing.summary).toContain(`\`item-${index}\``)
    },
    E2E_TIMEOUT
  )

  it(
    'pull_request_target reads the gates file (and what it extends) from the base commit, not the PR',
    async () => {
      fake = await startFakeGitHub()
      const pr = eventPayload('pull_request').pull_request
      const protectedRepo = `${temp.dir}/protected`
      // The pull request deleted the gate that would fail.
      gitRepo(protectedRepo, {
        '.github/release-gates.yml':
          'version: 1\ngates:\n  - { id: build, check: command, with: { run: echo ok } }\n',
        'src/app.ts': "console.log('x')\n"
      })
      fake.files.set(
        `${pr.base.sha}:.github/release-gates.yml`,
        'version: 1\nextends: ./shared-gates.yml\ngates:\n  - { id: build, check: command, with: { run: echo ok } }\n'
      )
      fake.files.set(
        `${pr.base.sha}:.github/shared-gates.yml`,
        "version: 1\ngates:\n  - { id: no-console, check: files, with: { must-not-match: [{ paths: 'src/**', pattern: 'console' }] } }\n"
      )
      const run = await runBundledAction({
        workspace: protectedRepo,
        apiUrl: fake.url,
        event: 'pull_request_target',
        inputs: { 'check-runs': 'never' }
      })
      expect(run.stdout).toContain(
        `Reading the gates file from the base commit ${pr.base.sha.slice(0, 7)} (config-ref), not from the checkout`
      )
      expect(run.code).toBe(1)
      expect(run.outputs['failed-gates']).toBe('["no-console"]')
      expect(fake.requests.map((request) => [request.operationId, request.status])).toEqual([
        ['repos/get-content', 200],
        ['repos/get-content', 200]
      ])
    },
    E2E_TIMEOUT
  )

  it(
    'config-ref naming a file the ref does not have is a configuration error at its name',
    async () => {
      fake = await startFakeGitHub()
      const run = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        inputs: { 'config-ref': 'v1.0.0', 'check-runs': 'never' }
      })
      expect(run.code).toBe(2)
      expect(run.stdout).toContain(
        '::error file=.github/release-gates.yml::cannot read the gates file: no such file'
      )
    },
    E2E_TIMEOUT
  )
})

describe('the fork-safe pattern: evaluate without a write token, publish from workflow_run', () => {
  it(
    'publishes an earlier report without evaluating anything, refuses one for another commit, and recomputes what it claims',
    async () => {
      fake = await startFakeGitHub()
      const headSha = eventPayload('workflow_run').workflow_run.head_sha
      // 1. The untrusted pull-request workflow: no check runs, the report uploaded as an artifact.
      const untrusted = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        sha: headSha,
        inputs: { only: 'build,qa-signoff', 'check-runs': 'never' }
      })
      expect(untrusted.code).toBe(1)
      expect(fake.requests).toEqual([])
      const artifact = readFileSync(untrusted.outputs.report!, 'utf8')

      // 2. The trusted workflow_run workflow: a workspace without the PR's code or gates file.
      const trusted = `${temp.dir}/trusted`
      writeTree(trusted, { 'artifact/report.json': artifact })
      const published = await runBundledAction({
        workspace: trusted,
        apiUrl: fake.url,
        event: 'workflow_run',
        inputs: { 'publish-report': 'artifact/report.json' }
      })
      expect(published.stdout).toContain('nothing is evaluated here')
      expect(published.code).toBe(1)
      expect(
        fake.checkRuns.map((checkRun) => [
          checkRun.body.name,
          checkRun.body.head_sha,
          checkRun.body.conclusion
        ])
      ).toEqual([
        ['Release gates (production) / Build passes', headSha, 'success'],
        [
          'Release gates (production) / QA Lead — all QA requirements met',
          headSha,
          'action_required'
        ],
        ['Release gates (production)', headSha, 'action_required']
      ])
      expect(published.outputs['failed-gates']).toBe('["qa-signoff"]')

      // 3. A report made for another commit is refused (it could be replayed onto this one).
      const other = JSON.parse(artifact)
      other.github.sha = 'c'.repeat(40)
      writeFileSync(`${trusted}/artifact/other.json`, JSON.stringify(other))
      const refused = await runBundledAction({
        workspace: trusted,
        apiUrl: fake.url,
        event: 'workflow_run',
        inputs: { 'publish-report': 'artifact/other.json' }
      })
      expect(refused.code).toBe(2)
      expect(refused.stdout).toContain(
        `the report is for commit ${'c'.repeat(40)}, this run is for ${headSha}; refusing to publish it here`
      )

      // 4. What the report claims is recomputed from each gate's conclusion.
      const forged = JSON.parse(artifact)
      forged.result = 'passed'
      forged.failedGates = []
      for (const gate of forged.gates) Object.assign(gate, { met: true, blocking: false })
      writeFileSync(`${trusted}/artifact/forged.json`, JSON.stringify(forged))
      const recomputed = await runBundledAction({
        workspace: trusted,
        apiUrl: fake.url,
        event: 'workflow_run',
        inputs: { 'publish-report': 'artifact/forged.json', 'check-runs': 'never' }
      })
      expect(recomputed.code).toBe(1)
      expect(recomputed.outputs['failed-gates']).toBe('["qa-signoff"]')
    },
    E2E_TIMEOUT
  )
})
