import cvss from 'ae-cvss-calculator'
import type { OsvRecord } from './record.js'

/** The severities a gate fails on, lowest first (npm's names; CVSS "medium" is moderate). */
export const SEVERITIES = ['low', 'moderate', 'high', 'critical'] as const
export type Severity = (typeof SEVERITIES)[number]

export interface RecordSeverity {
  /** undefined: the record rates it nowhere. */
  level?: Severity
  /** The highest CVSS base score among its vectors. */
  score?: number
  /** Where the level comes from, for a reader. */
  source?: string
}

/** CVSS's qualitative scale (v3.x and v4.0 alike; v2's high starts at 7.0 too). */
export function levelOfScore(score: number): Severity | undefined {
  if (score >= 9) return 'critical'
  if (score >= 7) return 'high'
  if (score >= 4) return 'moderate'
  if (score > 0) return 'low'
  return undefined
}

/** A CVSS v2, v3.0, v3.1 or v4.0 vector's base score; undefined when it does not parse. */
export function cvssScore(vector: string): number | undefined {
  try {
    const parsed = cvss.fromVector(vector)
    const score = parsed?.calculateScores().base
    return typeof score === 'number' && Number.isFinite(score) ? score : undefined
  } catch {
    return undefined
  }
}

function named(value: unknown): Severity | undefined {
  const text = typeof value === 'string' ? value.toLowerCase() : ''
  if (text === 'medium' || text === 'moderate') return 'moderate'
  return (SEVERITIES as readonly string[]).includes(text) ? (text as Severity) : undefined
}

/**
 * A record's severity: the database's own rating (`database_specific.severity`, as GitHub and
 * npm show it; or the affected entry's) when it gives one, else the highest CVSS base score of
 * its vectors on CVSS's scale.
 */
export function severityOf(record: OsvRecord): RecordSeverity {
  const vectors = [
    ...(record.severity ?? []),
    ...(record.affected ?? []).flatMap((affected) => affected.severity ?? [])
  ]
  const scores = vectors.flatMap((entry) => cvssScore(entry.score) ?? [])
  const score = scores.length ? Math.max(...scores) : undefined
  const rated =
    named(record.database_specific?.severity) ??
    (record.affected ?? [])
      .map(
        (affected) =>
          named(affected.database_specific?.severity) ??
          named(affected.ecosystem_specific?.severity)
      )
      .find(Boolean)
  if (rated) return { level: rated, ...(score !== undefined && { score }), source: 'database' }
  if (score !== undefined) {
    const level = levelOfScore(score)
    return { ...(level && { level }), score, source: 'CVSS' }
  }
  return {}
}
