import { createHash } from 'node:crypto'
import type { Plan, PlannedGate, ShardInfo } from '../model/plan.js'

/** `shard: K/N`: the K-th of N parts of a plan, 1-based. */
export interface ShardSpec {
  index: number
  total: number
}

/** The most shards a plan is split into: more matrix jobs than this cost more than they save. */
export const MAX_SHARDS = 256

/** Parses `K/N`; the message says what was expected. */
export function parseShard(text: string): ShardSpec {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const [index, total] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN]
  if (!match || total < 1 || total > MAX_SHARDS || index < 1 || index > total)
    throw new Error(
      `expected K/N with 1 <= K <= N <= ${MAX_SHARDS} (e.g. 2/4, from a matrix: \${{ matrix.shard }}/4), got '${text}'`
    )
  return { index, total }
}

/**
 * A rough duration of a gate by its kind (ms), for a plan split without an earlier report:
 * a tool run costs tens of seconds, a request about one.
 */
const KIND_WEIGHT_MS: Record<string, number> = {
  tests: 60_000,
  typescript: 30_000,
  eslint: 20_000,
  command: 10_000,
  'npm-audit': 10_000,
  secrets: 5_000,
  files: 2_000,
  coverage: 1_000,
  github: 1_000,
  http: 1_000,
  tls: 1_000,
  git: 500,
  manual: 500,
  env: 10
}
const DEFAULT_WEIGHT_MS = 1_000

/** How long each gate took in an earlier report, by id. */
export type Durations = ReadonlyMap<string, number>

/** The weight of a gate: its earlier duration when known, else its kind's; switched off is free. */
export function gateWeight(gate: PlannedGate, durations: Durations): number {
  if (!gate.enabled) return 0
  return durations.get(gate.id) ?? KIND_WEIGHT_MS[gate.check] ?? DEFAULT_WEIGHT_MS
}

/** Identifies a plan: the same gates file, environment, stage and options give the same digest. */
export function planDigest(plan: Plan): string {
  const { shard: _shard, ...whole } = plan
  return createHash('sha256').update(JSON.stringify(whole)).digest('hex').slice(0, 16)
}

/** Gates of one kind that share one run (two `tests` gates on one command): the same key. */
export type ShareKey = (gate: PlannedGate) => string | undefined

/**
 * The gates of shard K of N: gates joined by `needs` or `after` stay together (a needed gate's
 * output is on that runner), and so do gates that share one run (split, the run would happen on
 * two runners), the groups are dealt heaviest first to the lightest shard, ties to
 * the lower index, so every shard computes the same split. The plan keeps its order.
 */
export function shardPlan(
  plan: Plan,
  spec: ShardSpec,
  durations: Durations = new Map(),
  shareKey: ShareKey = () => undefined
): Plan {
  const groups = linkedGroups(plan.gates, shareKey)
  const weighed = groups
    .map((members) => ({
      members,
      first: Math.min(...members),
      // Gates sharing a run cost it once: each run weighs as its heaviest gate.
      weight: groupWeight(
        members.map((index) => plan.gates[index]!),
        durations,
        shareKey
      )
    }))
    .sort((a, b) => b.weight - a.weight || a.first - b.first)
  const load = new Array<number>(spec.total).fill(0)
  const shardOf = new Array<number>(plan.gates.length)
  for (const group of weighed) {
    let lightest = 0
    for (let shard = 1; shard < spec.total; shard++)
      if (load[shard]! < load[lightest]!) lightest = shard
    load[lightest]! += group.weight
    for (const index of group.members) shardOf[index] = lightest
  }
  const shard: ShardInfo = {
    index: spec.index,
    total: spec.total,
    plan: planDigest(plan),
    gates: plan.gates.map((gate) => gate.id)
  }
  return {
    ...plan,
    shard,
    gates: plan.gates.filter((_gate, index) => shardOf[index] === spec.index - 1)
  }
}

function groupWeight(gates: PlannedGate[], durations: Durations, shareKey: ShareKey): number {
  const byRun = new Map<string, number>()
  let total = 0
  for (const gate of gates) {
    const key = gate.enabled ? shareKey(gate) : undefined
    const weight = gateWeight(gate, durations)
    if (key === undefined) total += weight
    else byRun.set(key, Math.max(byRun.get(key) ?? 0, weight))
  }
  return total + [...byRun.values()].reduce((sum, weight) => sum + weight, 0)
}

/** Indexes of gates connected through `needs`, `after` or a shared run, each group in plan order. */
function linkedGroups(gates: PlannedGate[], shareKey: ShareKey): number[][] {
  const parent = gates.map((_gate, index) => index)
  const root = (index: number): number => {
    while (parent[index] !== index) index = parent[index] = parent[parent[index]!]!
    return index
  }
  const indexById = new Map(gates.map((gate, index) => [gate.id, index]))
  const firstByKey = new Map<string, number>()
  gates.forEach((gate, index) => {
    for (const id of [...gate.needs, ...gate.after]) {
      const other = indexById.get(id)
      if (other !== undefined) parent[root(index)] = root(other)
    }
    const key = gate.enabled ? shareKey(gate) : undefined
    if (key === undefined) return
    const other = firstByKey.get(key)
    if (other === undefined) firstByKey.set(key, index)
    else parent[root(index)] = root(other)
  })
  const groups = new Map<number, number[]>()
  gates.forEach((_gate, index) => {
    const key = root(index)
    groups.set(key, [...(groups.get(key) ?? []), index])
  })
  return [...groups.values()]
}
