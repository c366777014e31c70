import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from '@jest/globals'
import { runBundledAction } from './helpers/action-run.js'
import type { ActionRun } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import type { FakeGitHub } from './helpers/fake-github.js'
import { gitRepo, tempDir } from './helpers/fs.js'

// Check-run writes are spaced a second apart, as GitHub asks: these runs take real time.
const E2E_TIMEOUT = 180_000
const SHA = 'c'.repeat(40)

const temp = tempDir('rg-shards-')
afterAll(temp.cleanup)
const fakes: FakeGitHub[] = []
afterEach(async () => {
  for (const fake of fakes.splice(0)) {
    await fake.close()
    expect(fake.problems).toEqual([])
  }
})

const GATES = `version: 1
defaults: { environment: production }
environments:
  production: {}
gates:
  - { id: build, name: Build passes, section: Code, check: command, with: { run: 'echo built > build.txt' } }
  - { id: artifact, name: Build artifact exists, section: Code, check: files, needs: [build], with: { must-exist: [build.txt] } }
  - { id: lint, name: No console.log, section: Code, check: files, with: { must-not-match: [{ paths: 'src/**', pattern: 'console\\.log' }] } }
  - { id: unit, name: Unit tests, section: Testing, check: command, with: { run: 'true' } }
  - { id: e2e, name: E2E tests, section: Testing, check: command, required: false, with: { run: 'exit 3' } }
  - { id: home, name: HOME is set, section: Config, check: env, with: { variables: [HOME] } }
  - { id: readme, name: README present, section: Docs, check: files, with: { must-exist: [README.md] } }
  - { id: qa, name: QA sign-off, section: Sign-off, check: manual, with: { instructions: Run the QA plan. } }
`

const repository = () => {
  const workspace = `${temp.dir}/repo-${Math.random().toString(36).slice(2)}`
  gitRepo(workspace, {
    '.github/release-gates.yml': GATES,
    'README.md': '# shop\n',
    'src/app.ts': "console.log('debug')\n"
  })
  return workspace
}

const started = async () => {
  const fake = await startFakeGitHub()
  fakes.push(fake)
  return fake
}
const described = (fake: FakeGitHub) =>
  fake.checkRuns.map((run) => `${String(run.body.name)} → ${String(run.body.conclusion)}`).sort()
/** The summary's table of gates, without its Time column (durations differ run to run). */
const gatesTable = (run: ActionRun) =>
  run.summary
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .map((line) => line.replace(/\|[^|]*\|$/, '|'))

/** Runs shards K of N into reports/, one job each, as a matrix would. */
async function shards(fake: FakeGitHub, workspace: string, total: number, only?: number[]) {
  const runs: ActionRun[] = []
  mkdirSync(`${workspace}/reports`, { recursive: true })
  for (let index = 1; index <= total; index++) {
    if (only && !only.includes(index)) continue
    runs.push(
      await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        sha: SHA,
        inputs: { shard: `${index}/${total}`, 'report-path': `reports/shard-${index}.json` }
      })
    )
  }
  return runs
}

describe('shards over matrix jobs, merged into one verdict', () => {
  it(
    'a plan run whole and as 4 shards + merge: the same check runs, overall conclusion and summary table',
    async () => {
      const whole = await started()
      const wholeRun = await runBundledAction({
        workspace: repository(),
        apiUrl: whole.url,
        event: 'push',
        sha: SHA
      })
      expect(wholeRun.code).toBe(1)

      const sharded = await started()
      const workspace = repository()
      const shardRuns = await shards(sharded, workspace, 4)
      // Each shard evaluates its part only, and no shard writes the overall check.
      const evaluated = shardRuns.map((run, index) => {
        const report = JSON.parse(
          readFileSync(`${workspace}/reports/shard-${index + 1}.json`, 'utf8')
        )
        expect(report.shard).toMatchObject({ index: index + 1, total: 4 })
        return report.gates.map((gate: { id: string }) => gate.id) as string[]
      })
      expect(evaluated.flat().sort()).toEqual(
        ['artifact', 'build', 'e2e', 'home', 'lint', 'qa', 'readme', 'unit'].sort()
      )
      // needs keeps build and artifact on one runner: artifact reads what build wrote.
      expect(evaluated.find((ids) => ids.includes('build'))).toContain('artifact')
      expect(sharded.checkRuns.map((run) => run.body.name)).not.toContain(
        'Release gates (production)'
      )
      expect(shardRuns.map((run) => run.summary).join('\n')).toMatch(
        /## (✅|❌) Release gates shard 1\/4 (passed|failed)[^]*shard 1 of 4: \d of the plan's 8 gates/
      )

      const merge = await runBundledAction({
        workspace,
        apiUrl: sharded.url,
        event: 'push',
        sha: SHA,
        inputs: { 'merge-reports': 'reports/*.json' }
      })
      expect(merge.code).toBe(1)
      expect(merge.stdout).toContain('nothing is evaluated here')
      expect(described(sharded)).toEqual(described(whole))
      expect(sharded.checkRuns.at(-1)!.body.name).toBe('Release gates (production)')
      expect(merge.outputs).toMatchObject({
        result: wholeRun.outputs.result,
        'failed-gates': wholeRun.outputs['failed-gates']
      })
      expect(gatesTable(merge)).toEqual(gatesTable(wholeRun))
      expect(gatesTable(merge).length).toBeGreaterThan(8)
      expect(merge.summary).toContain('merged from 4 shards')
    },
    E2E_TIMEOUT
  )

  it(
    'a missing shard fails the overall check with the reason, never passes; a report of another plan is refused',
    async () => {
      const fake = await started()
      const workspace = repository()
      await shards(fake, workspace, 4, [1, 2, 4])
      const merge = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        sha: SHA,
        inputs: { 'merge-reports': 'reports/*.json' }
      })
      expect(merge.code).toBe(1)
      const overall = fake.checkRuns.at(-1)!.body
      expect(overall).toMatchObject({ name: 'Release gates (production)', conclusion: 'failure' })
      expect((overall.output as { title: string }).title).toContain(
        'shard 3 of 4 is missing: its gates were not evaluated'
      )
      expect(merge.outputs.result).toBe('failed')

      // A shard of a 2-way split of the same plan does not complete a 4-way one.
      const two = JSON.parse(readFileSync(`${workspace}/reports/shard-1.json`, 'utf8'))
      two.shard = { ...two.shard, index: 3, total: 2 }
      writeFileSync(`${workspace}/reports/shard-3.json`, JSON.stringify(two))
      const mixed = await runBundledAction({
        workspace,
        apiUrl: fake.url,
        event: 'push',
        sha: SHA,
        inputs: { 'merge-reports': 'reports/*.json', 'check-runs': 'never' }
      })
      expect(mixed.code).toBe(2)
      expect(mixed.stdout).toContain('shard must be { index, total, plan, gates }')
    },
    E2E_TIMEOUT
  )
})
