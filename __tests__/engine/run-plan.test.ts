import { readFromDisk } from '../../src/config/source.js'
import { policyReader } from '../../src/engine/evaluate.js'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { CHECKS } from '../../src/checks/index.js'
import type { PlannedGate } from '../../src/config/model.js'
import { runPlan } from '../../src/engine/run-plan.js'
import type { CheckRegistry, ProgressEvent } from '../../src/engine/run-plan.js'
import type { GateResult } from '../../src/model/report.js'
import type { Workspace } from '../../src/model/types.js'
import { exec } from '../../src/util/exec.js'
import { Redactor } from '../../src/util/redact.js'
import { tempDir } from '../helpers/fs.js'
import { isRunning, makeGate, makePlan } from '../helpers/plan.js'

const temp = tempDir()
afterAll(temp.cleanup)

function run(
  gates: PlannedGate[],
  checks: CheckRegistry = CHECKS,
  extra: { concurrency?: number; now?: Date; onProgress?: (event: ProgressEvent) => void } = {}
) {
  const workspace: Omit<Workspace, 'signal'> = {
    cwd: temp.dir,
    env: process.env,
    exec,
    logger: { info: () => undefined, warning: () => undefined, debug: () => undefined },
    secret: (value) => redactor.add(value),
    readPolicyFile: policyReader(temp.dir, readFromDisk),
    now: extra.now ?? new Date('2026-06-01T12:00:00Z')
  }
  const redactor = new Redactor()
  return runPlan(makePlan(gates), { checks, workspace, redactor, killSettleMs: 5000, ...extra })
}

/** A real workspace in the temp directory that logs nothing. */
function quietWorkspace(): Omit<Workspace, 'signal'> {
  return {
    cwd: temp.dir,
    env: process.env,
    exec,
    logger: { info: () => undefined, warning: () => undefined, debug: () => undefined },
    secret: () => undefined,
    readPolicyFile: policyReader(temp.dir, readFromDisk),
    now: new Date()
  }
}

const sleeper = (id: string, seconds: number) =>
  makeGate({ id, check: 'command', with: { run: `sleep ${seconds}` } })

describe('runPlan', () => {
  it('runs gates concurrently: six gates that each sleep 1 s finish in about 1 s', async () => {
    const started = Date.now()
    const report = await run(
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => sleeper(id, 1)),
      CHECKS,
      { concurrency: 6 }
    )
    const elapsed = Date.now() - started
    expect(report.gates.map((gate) => gate.conclusion)).toEqual(Array(6).fill('success'))
    expect(elapsed).toBeLessThan(2500)
    expect(elapsed).toBeGreaterThanOrEqual(1000)
  })

  it('bounds concurrency: four 1 s gates two at a time take about 2 s', async () => {
    let running = 0
    let peak = 0
    const report = await run(
      ['a', 'b', 'c', 'd'].map((id) => sleeper(id, 1)),
      CHECKS,
      {
        concurrency: 2,
        onProgress: (event) => {
          running += event.type === 'start' ? 1 : -1
          peak = Math.max(peak, running)
        }
      }
    )
    expect(peak).toBe(2)
    expect(report.durationMs).toBeGreaterThanOrEqual(2000)
    expect(report.durationMs).toBeLessThan(3500)
  })

  it('waiting gates take no CPU slot: eight 1 s http gates finish together while the command gates run one at a time', async () => {
    const server = createServer((_request, response) => {
      setTimeout(() => response.end('ok'), 1000)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo
    const running = { cpu: 0, waiting: 0 }
    const peak = { cpu: 0, waiting: 0 }
    const finishedAt = new Map<string, number>()
    const started = Date.now()
    try {
      const report = await run(
        [
          ...['a', 'b', 'c'].map((id) => sleeper(id, 1)),
          ...Array.from({ length: 8 }, (_, index) =>
            makeGate({
              id: `web-${index}`,
              check: 'http',
              with: { url: `http://127.0.0.1:${port}/` }
            })
          )
        ],
        CHECKS,
        {
          concurrency: 1,
          onProgress: (event) => {
            const gate = event.type === 'start' ? event.gate : event.result
            const kind = gate.check === 'http' ? 'waiting' : 'cpu'
            running[kind] += event.type === 'start' ? 1 : -1
            peak[kind] = Math.max(peak[kind], running[kind])
            if (event.type === 'finish') finishedAt.set(gate.id, Date.now() - started)
          }
        }
      )
      expect(report.gates.map((gate) => gate.conclusion)).toEqual(Array(11).fill('success'))
      expect(peak).toEqual({ cpu: 1, waiting: 8 })
      // The http gates do not queue behind the sleepers: all done in about a second.
      for (let index = 0; index < 8; index++)
        expect(finishedAt.get(`web-${index}`)).toBeLessThan(2500)
      expect(finishedAt.get('c')).toBeGreaterThanOrEqual(3000)
    } finally {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    }
  })

  it('kills a hung gate at its timeout, reports timed_out, and leaves no process behind', async () => {
    const pids = join(temp.dir, 'pids')
    const hung = makeGate({
      id: 'hung',
      check: 'command',
      timeoutMs: 1000,
      // A shell that starts a background grandchild and then waits: both must die.
      with: { run: `sleep 60 & echo $! > ${pids}; echo $$ >> ${pids}; wait` }
    })
    const started = Date.now()
    const report = await run([hung, sleeper('quick', 0)])
    expect(Date.now() - started).toBeLessThan(5000)
    const [result, quick] = report.gates
    expect(result).toMatchObject({
      conclusion: 'timed_out',
      met: false,
      blocking: true,
      title: 'Timed out after 1.0s'
    })
    expect(quick!.conclusion).toBe('success')
    const written = readFileSync(pids, 'utf8').trim().split('\n').map(Number)
    expect(written).toHaveLength(2)
    for (const pid of written) expect(isRunning(pid)).toBe(false)
    expect(report.result).toBe('failed')
    expect(report.failedGates).toEqual(['hung'])
  })

  it('needs: a gate waits for the gates it needs, even listed first, and concurrency cannot deadlock', async () => {
    const { loadPlan } = await import('../../src/engine/evaluate.js')
    const { writeTree } = await import('../helpers/fs.js')
    writeTree(temp.dir, {
      'needs.yml': [
        'version: 1',
        'gates:',
        "  - { id: coverage, check: command, needs: [tests], with: { run: 'test -f report.txt' } }",
        "  - { id: tests, check: command, with: { run: 'sleep 1; touch report.txt' } }",
        "  - { id: lint, check: command, with: { run: 'true' } }"
      ].join('\n')
    })
    const plan = await loadPlan({ cwd: temp.dir, config: 'needs.yml' })
    expect(plan.gates.map((gate) => gate.id)).toEqual(['tests', 'coverage', 'lint'])
    const report = await runPlan(plan, {
      checks: CHECKS,
      redactor: new Redactor(),
      concurrency: 1,
      workspace: quietWorkspace()
    })
    expect(report.gates.map((gate) => [gate.id, gate.conclusion])).toEqual([
      ['tests', 'success'],
      ['coverage', 'success'],
      ['lint', 'success']
    ])
  })

  it('needs: a gate whose needed gate failed is not evaluated against its stale output; after only orders', async () => {
    const { loadPlan } = await import('../../src/engine/evaluate.js')
    const { writeTree } = await import('../helpers/fs.js')
    writeTree(temp.dir, {
      // A report left by an earlier, passing run: reading it now would be a lie.
      'stale-report.txt': 'lines 100%\n',
      'stale.yml': [
        'version: 1',
        'gates:',
        "  - { id: unit-tests, check: command, with: { run: 'exit 1' } }",
        "  - { id: coverage, check: command, needs: [unit-tests], with: { run: 'grep -q 100% stale-report.txt' } }",
        "  - { id: report-upload, check: command, after: [unit-tests], with: { run: 'test -f stale-report.txt' } }",
        "  - { id: later, check: command, needs: [coverage], with: { run: 'true' } }"
      ].join('\n')
    })
    const report = await runPlan(await loadPlan({ cwd: temp.dir, config: 'stale.yml' }), {
      checks: CHECKS,
      redactor: new Redactor(),
      workspace: quietWorkspace()
    })
    const byId = Object.fromEntries(report.gates.map((gate) => [gate.id, gate]))
    expect(byId.coverage).toMatchObject({
      conclusion: 'failure',
      title: 'Not evaluated: needs unit-tests, which failed'
    })
    expect(byId.later!.title).toBe('Not evaluated: needs coverage, which failed')
    expect(byId['report-upload']!.conclusion).toBe('success')
    expect(report.failedGates).toEqual(['unit-tests', 'coverage', 'later'])

    const only = await runPlan(
      await loadPlan({ cwd: temp.dir, config: 'stale.yml', only: ['coverage'] }),
      {
        checks: CHECKS,
        redactor: new Redactor(),
        workspace: quietWorkspace()
      }
    )
    expect(only.gates[0]!.title).toBe(
      'Not evaluated: needs unit-tests, which is not in this plan (its environment, stage or --only left it out)'
    )
  })

  it('on a real timeout, what the gate saw is kept: the output’s tail, under the timed-out verdict', async () => {
    const report = await run([
      makeGate({
        id: 'slow',
        check: 'command',
        timeoutMs: 1000,
        with: { run: 'echo "suite 1 of 3 done"; sleep 30' }
      })
    ])
    expect(report.gates[0]).toMatchObject({
      conclusion: 'timed_out',
      title: 'Timed out after 1.0s'
    })
    expect(report.gates[0]!.summary).toContain('What it had done by then:')
    expect(report.gates[0]!.summary).toContain('suite 1 of 3 done')
  })

  it('a check that throws fails with its reason; one that returns no outcome fails too', async () => {
    const checks: CheckRegistry = {
      boom: {
        run: async () => {
          throw new Error('could not reach the registry')
        }
      },
      garbage: { run: async () => ({ conclusion: 'passed' }) as never },
      nothing: { run: async () => undefined as never }
    }
    const report = await run(
      [
        makeGate({ id: 'a', check: 'boom' }),
        makeGate({ id: 'b', check: 'garbage' }),
        makeGate({ id: 'c', check: 'nothing' }),
        makeGate({ id: 'd', check: 'unregistered' })
      ],
      checks
    )
    expect(report.gates.map((gate) => [gate.conclusion, gate.title])).toEqual([
      ['failure', 'Cannot evaluate: could not reach the registry'],
      ['failure', 'Cannot evaluate: the check returned no valid conclusion'],
      ['failure', 'Cannot evaluate: the check returned no valid conclusion'],
      ['failure', "Cannot evaluate: no check kind 'unregistered' is registered"]
    ])
    expect(report.failedGates).toEqual(['a', 'b', 'c', 'd'])
  })

  it('advisory gates report but do not fail the run; switched-off gates are skipped and never run', async () => {
    let ran = false
    const checks: CheckRegistry = {
      fail: {
        run: async () => ({ conclusion: 'failure', title: 'nope', summary: '', annotations: [] })
      },
      spy: {
        run: async () => {
          ran = true
          return { conclusion: 'failure', title: 'ran', summary: '', annotations: [] }
        }
      }
    }
    const report = await run(
      [
        makeGate({ id: 'advisory', check: 'fail', required: false }),
        makeGate({
          id: 'off',
          check: 'spy',
          enabled: false,
          disabledReason: 'switched off for staging'
        })
      ],
      checks
    )
    expect(ran).toBe(false)
    expect(report.gates.map((gate) => [gate.id, gate.conclusion, gate.met, gate.blocking])).toEqual(
      [
        ['advisory', 'failure', false, false],
        ['off', 'skipped', true, false]
      ]
    )
    expect(report.gates[1]!.title).toBe('switched off for staging')
    expect(report.result).toBe('passed')
    expect(report.counts).toMatchObject({ total: 2, failure: 1, skipped: 1, blocking: 0 })
  })

  it('an unmet required manual gate blocks the run with action_required', async () => {
    const report = await run([
      makeGate({
        id: 'qa',
        check: 'manual',
        name: 'QA Lead sign-off',
        with: { instructions: 'Run the QA plan' }
      })
    ])
    expect(report.gates[0]).toMatchObject({
      conclusion: 'action_required',
      blocking: true,
      title: 'Needs sign-off: QA Lead sign-off'
    })
    expect(report.gates[0]!.summary).toContain('Run the QA plan')
    expect(report.result).toBe('failed')
  })

  it('a waiver in force waives an unmet gate; an expired one waives nothing and is reported', async () => {
    const fail: CheckRegistry = {
      fail: {
        run: async () => ({
          conclusion: 'failure',
          title: '3 problems',
          summary: 'details',
          annotations: []
        })
      }
    }
    const waiver = (expires: string) => ({
      reason: 'vendor fix pending',
      owner: '@alice',
      expires,
      location: 'test.yml:9:9'
    })
    const report = await run(
      [
        makeGate({ id: 'waived', check: 'fail', waivers: [waiver('2026-07-01')] }),
        makeGate({ id: 'expired', check: 'fail', waivers: [waiver('2026-06-01')] }),
        makeGate({
          id: 'finding-only',
          check: 'fail',
          waivers: [{ ...waiver('2027-01-01'), id: 'GHSA-1' }]
        })
      ],
      fail,
      { now: new Date('2026-06-01T08:00:00Z') }
    )
    const [waived, expired, findingOnly] = report.gates
    expect(waived).toMatchObject({
      conclusion: 'neutral',
      met: true,
      blocking: false,
      title: 'Waived until 2026-07-01: 3 problems',
      waiver: { owner: '@alice', reason: 'vendor fix pending', original: 'failure' }
    })
    expect(waived!.summary).toMatch(
      /^> \*\*Waived\*\* by @alice until 2026-07-01 \(test.yml:9:9\): vendor fix pending/
    )
    expect(expired).toMatchObject({
      conclusion: 'failure',
      blocking: true,
      expiredWaivers: [expect.objectContaining({ expires: '2026-06-01' })]
    })
    expect(expired!.summary).toContain('**Expired waiver** (@alice, expired 2026-06-01')
    // A check without findings has nothing a finding waiver could cover.
    expect(findingOnly).toMatchObject({ conclusion: 'failure', blocking: true })
    expect(report.failedGates).toEqual(['expired', 'finding-only'])
    expect(report.counts.waived).toBe(1)
  })

  it('the engine applies finding waivers for any kind with findings: by rule, path glob, id; expired and unused listed', async () => {
    const finding = (rule: string, path: string) => ({
      rule,
      level: 'failure' as const,
      message: `${rule} broken`,
      blocking: true,
      path,
      line: 1
    })
    const lint: CheckRegistry = {
      lint: {
        reportsFindings: true,
        run: async () => ({
          conclusion: 'failure',
          title: '3 errors',
          summary: 'the table',
          annotations: [],
          findings: [
            finding('no-console', 'src/a.ts'),
            finding('no-eval', 'legacy/old.ts'),
            finding('no-eval', 'src/b.ts')
          ],
          decidedByFindings: true
        })
      }
    }
    const waiver = (fields: Record<string, string>) => ({
      reason: 'tracked in #12',
      owner: '@alice',
      expires: '2026-07-01',
      location: 'test.yml:9:9',
      ...fields
    })
    const report = await run(
      [
        makeGate({
          id: 'partly',
          check: 'lint',
          waivers: [waiver({ rule: 'no-console' }), waiver({ path: 'legacy/**' })]
        }),
        makeGate({
          id: 'wholly',
          check: 'lint',
          waivers: [
            waiver({ id: 'NO-CONSOLE' }),
            waiver({ rule: 'no-eval' }),
            waiver({ rule: 'no-eval', expires: '2026-05-01' }),
            waiver({ rule: 'no-var' })
          ]
        })
      ],
      lint,
      { now: new Date('2026-06-01T08:00:00Z') }
    )
    const [partly, wholly] = report.gates
    expect(partly).toMatchObject({ conclusion: 'failure', title: '3 errors (2 waived)' })
    expect(partly!.annotations.map((note) => note.path)).toEqual(['src/b.ts'])
    expect(partly!.summary).toContain(
      '- 🟡 no-eval at `legacy/old.ts:1` waived by @alice until 2026-07-01 (`test.yml:9:9`): tracked in #12'
    )
    expect(wholly).toMatchObject({
      conclusion: 'success',
      met: true,
      title: 'No finding left unwaived (3 waived findings)',
      expiredWaivers: [expect.objectContaining({ rule: 'no-eval', expires: '2026-05-01' })],
      unusedWaivers: [expect.objectContaining({ rule: 'no-var' })]
    })
    expect(wholly!.findings!.every((one) => !one.blocking && one.waived?.owner === '@alice')).toBe(
      true
    )
    expect(wholly!.annotations).toEqual([])
    expect(wholly!.summary).toContain(
      '- ❔ **unused**: no-var (@alice, `test.yml:9:9`) matched no finding'
    )
    expect(report.failedGates).toEqual(['partly'])
  })

  it('a kind that tells its verdict from findings is asked again once waivers have judged them', async () => {
    const told: CheckRegistry = {
      limited: {
        reportsFindings: true,
        run: async () => ({
          conclusion: 'failure',
          title: '3 errors (allowed: 1)',
          summary: 'all three',
          annotations: [],
          findings: ['a', 'b', 'c'].map((rule) => ({
            rule,
            level: 'failure' as const,
            message: rule,
            blocking: true
          })),
          decidedByFindings: true,
          describe: (judged) => {
            const open = judged.filter((finding) => !finding.waived).length
            return {
              conclusion: open > 1 ? 'failure' : 'success',
              title: `${open} errors (allowed: 1)`,
              summary: `${open} left`
            }
          }
        })
      }
    }
    const report = await run(
      [
        makeGate({
          id: 'limited',
          check: 'limited',
          waivers: [
            { rule: 'a', reason: 'r', owner: '@o', expires: '2026-07-01', location: 't.yml:1:1' }
          ]
        })
      ],
      told,
      { now: new Date('2026-06-01T08:00:00Z') }
    )
    expect(report.gates[0]).toMatchObject({
      conclusion: 'failure',
      title: '2 errors (allowed: 1)',
      summary: expect.stringMatching(/^2 left\n\nWaivers:/)
    })
    expect(report.gates[0]).not.toHaveProperty('describe')
  })

  it('secrets a check registers are redacted from everything it returns', async () => {
    const checks: CheckRegistry = {
      leaky: {
        run: async (_gate, workspace) => {
          workspace.secret('hunter2-but-longer')
          return {
            conclusion: 'failure',
            title: 'value hunter2-but-longer is bad',
            summary: 'saw hunter2-but-longer',
            annotations: [{ path: 'a', line: 1, level: 'failure', message: 'hunter2-but-longer' }]
          }
        }
      }
    }
    const report = await run([makeGate({ id: 'leaky', check: 'leaky' })], checks)
    expect(JSON.stringify(report)).not.toContain('hunter2-but-longer')
    expect(report.gates[0]!.title).toBe('value *** is bad')
  })

  it('what an env gate names is secret before any gate starts: a faster gate that prints it shows ***', async () => {
    const value = 'jwt-4f7a9c2e8b1d6'
    const previous = process.env.JWT_SECRET
    process.env.JWT_SECRET = value
    try {
      const progress: string[] = []
      const report = await run(
        [
          makeGate({
            id: 'prints',
            check: 'command',
            with: { run: 'echo "secret is $JWT_SECRET"' }
          }),
          makeGate({ id: 'env', check: 'env', with: { variables: ['JWT_SECRET'] } })
        ],
        CHECKS,
        {
          concurrency: 1,
          onProgress: (event) => {
            if (event.type === 'finish') progress.push(JSON.stringify(event.result))
          }
        }
      )
      // The command finished first, before the env gate ran.
      expect(report.gates[0]!.summary).toContain('secret is ***')
      expect(JSON.stringify(report)).not.toContain(value)
      expect(progress.join('\n')).not.toContain(value)
    } finally {
      if (previous === undefined) delete process.env.JWT_SECRET
      else process.env.JWT_SECRET = previous
    }
  })

  it('a secret one gate finds is redacted from every other gate’s result, whichever finished first', async () => {
    const found = 'found-Secret-9x8y7z6w'
    const checks: CheckRegistry = {
      ...CHECKS,
      finder: {
        run: async (_gate, workspace) => {
          await new Promise((resolve) => setTimeout(resolve, 200))
          workspace.secret(found)
          return { conclusion: 'failure', title: '1 secret found', summary: '', annotations: [] }
        }
      }
    }
    const report = await run(
      [
        makeGate({ id: 'prints', check: 'command', with: { run: `echo "config: ${found}"` } }),
        makeGate({ id: 'finder', check: 'finder' })
      ],
      checks,
      { concurrency: 2 }
    )
    expect(report.gates[0]!.summary).toContain('config: ***')
    expect(JSON.stringify(report)).not.toContain(found)
  })

  it('streams each result as it finishes, but holds them while a gate that finds secrets runs, then redacts them of what it found', async () => {
    const found = 'found-Secret-1a2b3c4d'
    const checks: CheckRegistry = {
      ...CHECKS,
      finder: {
        findsSecrets: true,
        run: async (_gate, workspace) => {
          await new Promise((resolve) => setTimeout(resolve, 300))
          workspace.secret(found)
          return { conclusion: 'failure', title: '1 secret found', summary: '', annotations: [] }
        }
      }
    }
    const published: Array<{ id: string; at: number; summary: string }> = []
    let started = Date.now()
    const onPublishable = (result: GateResult) =>
      published.push({ id: result.id, at: Date.now() - started, summary: result.summary })
    const redactor = new Redactor()
    await runPlan(
      makePlan([
        makeGate({ id: 'prints', check: 'command', with: { run: `echo "config: ${found}"` } }),
        makeGate({ id: 'finder', check: 'finder' }),
        sleeper('slow', 1)
      ]),
      {
        checks,
        workspace: { ...quietWorkspace(), secret: (value) => redactor.add(value) },
        redactor,
        concurrency: 3,
        onPublishable
      }
    )
    expect(published.map((entry) => entry.id)).toEqual(['prints', 'finder', 'slow'])
    // Held until the finder was done, then published before the slow gate finished.
    expect(published[0]!.at).toBeGreaterThanOrEqual(300)
    expect(published[0]!.at).toBeLessThan(published[2]!.at - 300)
    expect(published[0]!.summary).toContain('config: ***')
    expect(JSON.stringify(published)).not.toContain(found)

    // Without a finder, a result is published the moment it finishes.
    published.length = 0
    started = Date.now()
    await runPlan(makePlan([sleeper('quick', 0), sleeper('slow', 1)]), {
      checks: CHECKS,
      workspace: quietWorkspace(),
      redactor: new Redactor(),
      onPublishable
    })
    expect(published.map((entry) => entry.id)).toEqual(['quick', 'slow'])
    expect(published[0]!.at).toBeLessThan(500)
  })
})
