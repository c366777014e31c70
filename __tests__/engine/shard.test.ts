import { describe, expect, it } from '@jest/globals'
import { planShard } from '../../src/engine/evaluate.js'
import { parseShard, planDigest, shardPlan } from '../../src/engine/shard.js'
import type { GateResult, Report } from '../../src/model/report.js'
import { countConclusions } from '../../src/model/report.js'
import { mergeShardReports } from '../../src/report/merge-reports.js'
import { makeGate, makePlan } from '../helpers/plan.js'

const plan = makePlan([
  makeGate({ id: 'tsc', check: 'typescript' }),
  makeGate({ id: 'unit', check: 'tests' }),
  makeGate({ id: 'coverage', check: 'coverage', needs: ['unit'] }),
  makeGate({ id: 'lint', check: 'eslint' }),
  makeGate({ id: 'web', check: 'http' }),
  makeGate({ id: 'smoke', check: 'http', after: ['web'] }),
  makeGate({ id: 'env', check: 'env' }),
  makeGate({ id: 'qa', check: 'manual' })
])
const idsOf = (index: number, total: number, durations?: Map<string, number>) =>
  shardPlan(plan, { index, total }, durations).gates.map((gate) => gate.id)

describe('shardPlan', () => {
  it('splits every gate into exactly one shard, the same split on every machine, plan order kept', () => {
    const parts = [1, 2, 3].map((index) => idsOf(index, 3))
    expect(parts.flat().sort()).toEqual(plan.gates.map((gate) => gate.id).sort())
    expect([1, 2, 3].map((index) => idsOf(index, 3))).toEqual(parts)
    for (const part of parts) {
      const order = part.map((id) => plan.gates.findIndex((gate) => gate.id === id))
      expect(order).toEqual([...order].sort((a, b) => a - b))
    }
  })

  it('keeps needs and after chains in one shard, and balances by kind: tests apart from tsc', () => {
    const parts = [1, 2, 3].map((index) => idsOf(index, 3))
    expect(parts.find((part) => part.includes('unit'))).toContain('coverage')
    expect(parts.find((part) => part.includes('web'))).toContain('smoke')
    expect(parts.find((part) => part.includes('unit'))).not.toContain('tsc')
  })

  it('keeps gates that share one tool run together, weighing the run once', () => {
    // Two tests gates on one command share one jest run: split, it would run on two runners.
    const sharing = makePlan([
      makeGate({ id: 'unit', check: 'tests', with: {} }),
      makeGate({ id: 'integration', check: 'tests', with: {} }),
      makeGate({ id: 'e2e', check: 'tests', with: { run: 'npx playwright test' } }),
      makeGate({ id: 'tsc', check: 'typescript' })
    ])
    const parts = [1, 2].map((index) =>
      planShard(sharing, { index, total: 2 }).gates.map((gate) => gate.id)
    )
    expect(parts.find((part) => part.includes('unit'))).toContain('integration')
    // One run of 60 s weighs 60 s, not 120 s: the e2e run balances against it.
    expect(parts.find((part) => part.includes('unit'))).not.toContain('e2e')
  })

  it('balances by an earlier report’s durations when given', () => {
    // The lint gate took longest last time: it gets a shard of its own.
    const durations = new Map([
      ['lint', 300_000],
      ['tsc', 1_000],
      ['unit', 2_000],
      ['coverage', 100]
    ])
    expect(idsOf(1, 2, durations)).toEqual(['lint'])
  })

  it('records the whole plan so a merge can prove completeness; K/N is checked', () => {
    const part = shardPlan(plan, { index: 2, total: 4 })
    expect(part.shard).toEqual({
      index: 2,
      total: 4,
      plan: planDigest(plan),
      gates: plan.gates.map((gate) => gate.id)
    })
    expect(planDigest(makePlan(plan.gates.slice(1)))).not.toBe(planDigest(plan))
    expect(parseShard('3/4')).toEqual({ index: 3, total: 4 })
    for (const bad of ['0/4', '5/4', '4', 'a/b', '1/0', '1/999'])
      expect(() => parseShard(bad)).toThrow(/expected K\/N/)
  })
})

describe('mergeShardReports', () => {
  const gate = (id: string, conclusion: GateResult['conclusion'] = 'success'): GateResult => ({
    id,
    name: id,
    check: 'command',
    conclusion,
    title: id,
    summary: '',
    annotations: [],
    required: true,
    met: conclusion === 'success',
    blocking: conclusion !== 'success',
    startedAt: '2026-12-01T10:00:00.000Z',
    completedAt: '2026-12-01T10:00:01.000Z',
    durationMs: 1000,
    expiredWaivers: [],
    location: 'g.yml:1:1'
  })
  const shardReport = (index: number, gates: GateResult[], sha = 'a'.repeat(40)): Report => ({
    tool: { name: 'release-gates', version: '0.0.0' },
    file: 'g.yml',
    stage: 'pre-release',
    shard: { index, total: 2, plan: 'p1', gates: ['x', 'y', 'z'] },
    github: { eventName: 'push', sha },
    startedAt: `2026-12-01T10:00:0${index}.000Z`,
    durationMs: 2000,
    result: gates.some((entry) => entry.blocking) ? 'failed' : 'passed',
    counts: countConclusions(gates),
    failedGates: [],
    gates
  })

  it('joins the shards in plan order, recomputing the verdict', () => {
    const merged = mergeShardReports([
      { source: 'b.json', report: shardReport(2, [gate('z', 'failure'), gate('x')]) },
      { source: 'a.json', report: shardReport(1, [gate('y')]) }
    ])
    if (!('report' in merged)) throw new Error(merged.problems.join('\n'))
    expect(merged.report.gates.map((entry) => entry.id)).toEqual(['x', 'y', 'z'])
    expect(merged.report).toMatchObject({
      result: 'failed',
      failedGates: ['z'],
      mergedShards: 2,
      startedAt: '2026-12-01T10:00:01.000Z',
      durationMs: 3000
    })
    expect(merged.report.shard).toBeUndefined()
  })

  it('a missing, doubled, foreign or incomplete shard is a problem, never a pass', () => {
    const problems = (parts: Parameters<typeof mergeShardReports>[0]) => {
      const merged = mergeShardReports(parts)
      return 'problems' in merged ? merged.problems : []
    }
    const one = { source: 'a.json', report: shardReport(1, [gate('x'), gate('y')]) }
    expect(problems([one])).toEqual([
      'shard 2 of 2 is missing: its gates were not evaluated (did its job fail before uploading its report?)'
    ])
    expect(problems([one, { ...one, source: 'copy.json' }])[0]).toContain(
      'shard 1 of 2 appears twice: a.json, copy.json'
    )
    expect(
      problems([one, { source: 'b.json', report: shardReport(2, [gate('z')], 'b'.repeat(40)) }])[0]
    ).toContain('not one commit')
    expect(problems([one, { source: 'b.json', report: shardReport(2, []) }])).toEqual([
      'no shard evaluated z: the merged report would miss them'
    ])
    expect(problems([])).toEqual(['no report matched: no shard was merged'])
  })
})
