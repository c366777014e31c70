/** Covered of total for one metric; absent when the format does not measure it. */
export interface Tally {
  covered: number
  total: number
}

export const METRICS = ['lines', 'statements', 'functions', 'branches'] as const
export type Metric = (typeof METRICS)[number]

export type Metrics = Partial<Record<Metric, Tally>>

export interface FileCoverage {
  /** As the report names it (relative or absolute). */
  path: string
  metrics: Metrics
}

export type CoverageFormat = 'istanbul-summary' | 'istanbul-final' | 'lcov' | 'cobertura' | 'clover'

export interface CoverageReport {
  format: CoverageFormat
  files: FileCoverage[]
  total: Metrics
}

/** Percentage with two decimals; 100 when there is nothing to cover. */
export function percent(tally: Tally): number {
  return tally.total === 0 ? 100 : Math.floor((tally.covered / tally.total) * 10_000) / 100
}

/** Sums per-file metrics (a metric is present when any file has it). */
export function sumMetrics(files: Array<{ metrics: Metrics }>): Metrics {
  const total: Metrics = {}
  for (const { metrics } of files) {
    for (const metric of METRICS) {
      const tally = metrics[metric]
      if (!tally) continue
      const sum = (total[metric] ??= { covered: 0, total: 0 })
      sum.covered += tally.covered
      sum.total += tally.total
    }
  }
  return total
}
