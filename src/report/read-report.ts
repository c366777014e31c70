import type { GateResult, Report } from '../model/report.js'
import { CONCLUSIONS, countConclusions, MET_CONCLUSIONS } from '../model/report.js'
import type { ShardInfo } from '../model/plan.js'
import type { Conclusion } from '../model/types.js'

/**
 * Reads a JSON report written by an earlier run (`publish-report`, the fork-safe pattern: an
 * untrusted workflow evaluates, a trusted one publishes). The file is untrusted data: every
 * field used is checked, and `met`, `blocking`, the counts and the result are recomputed from
 * each gate's conclusion and `required` rather than believed.
 */
export function parseReport(text: string, source: string): Report {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new Error(`${source} is not JSON: ${(error as Error).message}`)
  }
  const report = data as Partial<Report>
  if (
    report?.tool?.name !== 'release-gates' ||
    !Array.isArray(report.gates) ||
    typeof report.stage !== 'string' ||
    typeof report.file !== 'string'
  ) {
    throw new Error(
      `${source} is not a Release Gates report (expected tool.name 'release-gates', gates, stage, file)`
    )
  }
  const gates = report.gates.map((gate, index) => checkedGate(gate, `${source}: gates[${index}]`))
  if (report.shard !== undefined) checkShard(report.shard, `${source}: shard`)
  const failedGates = gates.filter((gate) => gate.blocking).map((gate) => gate.id)
  // Shown in the summary: only what a real run records (a github: name, a commit sha).
  const { extends: remote, ...rest } = report as Report
  const sources = Array.isArray(remote)
    ? remote.filter(
        (source) =>
          typeof source?.name === 'string' &&
          /^github:[\w./@-]+$/.test(source.name) &&
          typeof source.sha === 'string' &&
          /^[0-9a-f]{40}$/.test(source.sha)
      )
    : []
  return {
    ...rest,
    ...(sources.length && { extends: sources }),
    gates,
    failedGates,
    counts: countConclusions(gates),
    result: failedGates.length ? 'failed' : 'passed'
  }
}

function checkShard(value: unknown, where: string): void {
  const shard = value as Partial<ShardInfo> | null
  const whole = (number: unknown): number is number =>
    typeof number === 'number' && Number.isInteger(number) && number >= 1
  if (
    !shard ||
    !whole(shard.index) ||
    !whole(shard.total) ||
    shard.index > shard.total ||
    typeof shard.plan !== 'string' ||
    !Array.isArray(shard.gates) ||
    !shard.gates.every((id) => typeof id === 'string')
  )
    throw new Error(`${where} must be { index, total, plan, gates } with 1 <= index <= total`)
}

function checkedGate(value: unknown, where: string): GateResult {
  const gate = value as Partial<GateResult>
  const strings = [
    'id',
    'name',
    'check',
    'title',
    'summary',
    'location',
    'startedAt',
    'completedAt'
  ] as const
  for (const key of strings)
    if (typeof gate?.[key] !== 'string') throw new Error(`${where}.${key} must be a string`)
  if (!CONCLUSIONS.has(gate.conclusion as Conclusion))
    throw new Error(`${where}.conclusion is not a check-run conclusion`)
  if (
    typeof gate.required !== 'boolean' ||
    typeof gate.durationMs !== 'number' ||
    !Array.isArray(gate.annotations)
  ) {
    throw new Error(`${where} lacks required, durationMs or annotations`)
  }
  const met = MET_CONCLUSIONS.has(gate.conclusion as Conclusion)
  return {
    ...(gate as GateResult),
    expiredWaivers: Array.isArray(gate.expiredWaivers) ? gate.expiredWaivers : [],
    met,
    blocking: gate.required && !met
  }
}
