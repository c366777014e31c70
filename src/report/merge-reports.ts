import type { Report } from '../model/report.js'
import { countConclusions } from '../model/report.js'

/** A shard's report and the file it was read from. */
export interface ShardReport {
  source: string
  report: Report
}

export type MergeResult =
  | { report: Report }
  | {
      /** Why the shards do not make one whole plan: each says which shard or file. */
      problems: string[]
    }

/**
 * Merges the reports of the N shards of one plan on one commit into the report a whole run
 * would have written. Every shard must be there exactly once, from the same plan and commit,
 * and together they must hold each gate of the plan once: anything less is a list of problems,
 * never a partial pass.
 */
export function mergeShardReports(parts: ShardReport[]): MergeResult {
  if (!parts.length) return { problems: ['no report matched: no shard was merged'] }
  const problems: string[] = []
  const shards = parts.filter((part) => {
    if (part.report.shard) return true
    problems.push(`${part.source} is not a shard's report (it was not run with shard: K/N)`)
    return false
  })
  const first = shards[0]
  if (!first) return { problems }
  const reference = first.report.shard!
  const commit = first.report.github?.sha
  for (const part of shards.slice(1)) {
    const shard = part.report.shard!
    if (shard.plan !== reference.plan || shard.total !== reference.total)
      problems.push(
        `${part.source} is shard ${shard.index}/${shard.total} of plan ${shard.plan}, ${first.source} of plan ${reference.plan} in ${reference.total}: not one plan (another gates file, environment, stage or shard count)`
      )
    if (part.report.github?.sha !== commit)
      problems.push(
        `${part.source} is for commit ${part.report.github?.sha ?? '(none)'}, ${first.source} for ${commit ?? '(none)'}: not one commit`
      )
  }
  if (problems.length) return { problems }

  const byIndex = new Map<number, string[]>()
  for (const part of shards)
    byIndex.set(part.report.shard!.index, [
      ...(byIndex.get(part.report.shard!.index) ?? []),
      part.source
    ])
  for (let index = 1; index <= reference.total; index++) {
    const sources = byIndex.get(index) ?? []
    if (!sources.length)
      problems.push(
        `shard ${index} of ${reference.total} is missing: its gates were not evaluated (did its job fail before uploading its report?)`
      )
    else if (sources.length > 1)
      problems.push(`shard ${index} of ${reference.total} appears twice: ${sources.join(', ')}`)
  }
  if (problems.length) return { problems }

  const gates = shards.flatMap((part) => part.report.gates)
  const seen = new Set<string>()
  for (const gate of gates) {
    if (!reference.gates.includes(gate.id))
      problems.push(`gate ${gate.id} is not in the plan the shards were made from`)
    else if (seen.has(gate.id)) problems.push(`gate ${gate.id} was evaluated by two shards`)
    seen.add(gate.id)
  }
  const unevaluated = reference.gates.filter((id) => !seen.has(id))
  if (unevaluated.length)
    problems.push(`no shard evaluated ${unevaluated.join(', ')}: the merged report would miss them`)
  if (problems.length) return { problems }

  const order = new Map(reference.gates.map((id, index) => [id, index]))
  gates.sort((a, b) => order.get(a.id)! - order.get(b.id)!)
  const started = Math.min(...shards.map((part) => Date.parse(part.report.startedAt)))
  const ended = Math.max(
    ...shards.map((part) => Date.parse(part.report.startedAt) + part.report.durationMs)
  )
  const failedGates = gates.filter((gate) => gate.blocking).map((gate) => gate.id)
  const { shard: _shard, ...base } = first.report
  return {
    report: {
      ...base,
      mergedShards: reference.total,
      startedAt: new Date(started).toISOString(),
      durationMs: ended - started,
      result: failedGates.length ? 'failed' : 'passed',
      counts: countConclusions(gates),
      failedGates,
      gates
    }
  }
}
