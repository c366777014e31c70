import type { CoverageReport, FileCoverage, Metrics, Tally } from './model.js'
import { sumMetrics } from './model.js'

interface SummaryEntry {
  lines?: { total: number; covered: number }
  statements?: { total: number; covered: number }
  functions?: { total: number; covered: number }
  branches?: { total: number; covered: number }
}

/** istanbul's json-summary reporter (coverage-summary.json): a `total` and one entry per file. */
export function parseIstanbulSummary(data: Record<string, SummaryEntry>): CoverageReport {
  const files: FileCoverage[] = Object.entries(data)
    .filter(([key]) => key !== 'total')
    .map(([path, entry]) => ({ path, metrics: summaryMetrics(entry) }))
  return {
    format: 'istanbul-summary',
    files,
    total: data.total ? summaryMetrics(data.total) : sumMetrics(files)
  }
}

function summaryMetrics(entry: SummaryEntry): Metrics {
  const metrics: Metrics = {}
  for (const metric of ['lines', 'statements', 'functions', 'branches'] as const) {
    const tally = entry[metric]
    if (tally) metrics[metric] = { covered: tally.covered, total: tally.total }
  }
  return metrics
}

interface FinalEntry {
  path?: string
  statementMap: Record<string, { start: { line: number } }>
  s: Record<string, number>
  fnMap?: Record<string, unknown>
  f?: Record<string, number>
  branchMap?: Record<string, unknown>
  b?: Record<string, number[]>
}

/**
 * istanbul's json reporter (coverage-final.json): raw hit maps per file. Line coverage is derived
 * as istanbul does: a line is covered when a statement starting on it ran.
 */
export function parseIstanbulFinal(data: Record<string, FinalEntry>): CoverageReport {
  const files = Object.entries(data).map(([key, entry]): FileCoverage => {
    const lineHits = new Map<number, number>()
    for (const [id, location] of Object.entries(entry.statementMap)) {
      const line = location.start.line
      lineHits.set(line, Math.max(lineHits.get(line) ?? 0, entry.s[id] ?? 0))
    }
    const branchCounts = Object.values(entry.b ?? {}).flat()
    return {
      path: entry.path ?? key,
      metrics: {
        lines: count([...lineHits.values()]),
        statements: count(Object.values(entry.s)),
        functions: count(Object.values(entry.f ?? {})),
        branches: count(branchCounts)
      }
    }
  })
  return { format: 'istanbul-final', files, total: sumMetrics(files) }
}

function count(hits: number[]): Tally {
  return { covered: hits.filter((hit) => hit > 0).length, total: hits.length }
}
