import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import { globSync } from 'tinyglobby'
import type { Durations } from '../engine/shard.js'
import type { Report } from '../model/report.js'
import type { ShardReport } from './merge-reports.js'
import { parseReport } from './read-report.js'

/** Reads and checks a JSON report; the error says which file and why (unreadable, not a report). */
export function readReportFile(path: string, cwd: string): Report {
  let text: string
  try {
    text = readFileSync(resolve(cwd, path), 'utf8')
  } catch (error) {
    throw new Error(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    )
  }
  return parseReport(text, path)
}

/** How long each gate took in a report, by id: what balances the shards. */
export function durationsOf(report: Report): Durations {
  return new Map(report.gates.map((gate) => [gate.id, gate.durationMs]))
}

/** The shards' reports matched by the patterns, in file order, named from `cwd`. */
export function readShardReports(patterns: string | string[], cwd: string): ShardReport[] {
  return globSync(patterns, { cwd, absolute: true })
    .sort()
    .map((file) => {
      const source = relative(cwd, file)
      return { source, report: readReportFile(source, cwd) }
    })
}
