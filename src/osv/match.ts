import type { Dependency } from '../dependencies/model.js'
import type { OsvRecord } from './record.js'
import { recordUrl } from './record.js'
import type { RecordSeverity } from './severity.js'
import { SEVERITIES, severityOf } from './severity.js'
import { affects, COMPARE } from './versions.js'

/** One vulnerability of one installed package: its records (aliases of each other) as one. */
export interface Vulnerability {
  /** The id shown: a GHSA when one of the records is (it carries the rating), else the first. */
  id: string
  /** Every other id and alias (CVE, PYSEC, GO, RUSTSEC): a waiver may name any of them. */
  aliases: string[]
  summary: string
  severity: RecordSeverity
  /** The version that fixes it; undefined when no record names one. */
  fixed?: string
  url: string
}

/**
 * Records that describe the same vulnerability, joined: OSV serves one record per database
 * (GHSA, PYSEC, GO, RUSTSEC), each naming the others or a shared CVE among its aliases.
 */
export function groupByAlias(records: OsvRecord[]): OsvRecord[][] {
  const parent = new Map<string, string>()
  const find = (id: string): string => {
    const up = parent.get(id) ?? id
    if (up === id) return id
    const root = find(up)
    parent.set(id, root)
    return root
  }
  for (const record of records) {
    for (const alias of record.aliases ?? []) {
      const [a, b] = [find(record.id), find(alias)]
      if (a !== b) parent.set(b, a)
    }
  }
  const groups = new Map<string, OsvRecord[]>()
  for (const record of records) {
    const root = find(record.id)
    groups.set(root, [...(groups.get(root) ?? []), record])
  }
  return [...groups.values()]
}

const rank = (severity: RecordSeverity) =>
  severity.level ? SEVERITIES.indexOf(severity.level) : -1

/**
 * The vulnerabilities affecting a dependency among `records` (those named for its package),
 * judged by each record's ranges; `reported` are ids the API already judged to affect it (its
 * answer stands even where a range cannot be ordered here).
 */
export function vulnerabilitiesOf(
  dependency: Dependency,
  records: OsvRecord[],
  reported: Set<string> = new Set()
): { vulnerabilities: Vulnerability[]; unjudged: string[] } {
  const unjudged: string[] = []
  const hits: Array<{ record: OsvRecord; fixed?: string }> = []
  for (const record of records) {
    const verdict = affects(record, dependency.ecosystem, dependency.name, dependency.version)
    if (verdict.affected || reported.has(record.id))
      hits.push({ record, ...(verdict.fixed && { fixed: verdict.fixed }) })
    else if (verdict.unknown) unjudged.push(verdict.unknown)
  }
  const vulnerabilities = groupByAlias(hits.map((hit) => hit.record)).map((group) => {
    const shown = group.find((record) => record.id.startsWith('GHSA-')) ?? group[0]!
    const severity = group
      .map(severityOf)
      .reduce((best, next) => (rank(next) > rank(best) ? next : best))
    const fixes = group.flatMap((record) => hits.find((hit) => hit.record === record)?.fixed ?? [])
    const ids = new Set(group.flatMap((record) => [record.id, ...(record.aliases ?? [])]))
    ids.delete(shown.id)
    return {
      id: shown.id,
      aliases: [...ids].sort(),
      summary:
        group.map((record) => record.summary).find(Boolean) ??
        group.map((record) => record.details?.split('\n')[0]?.slice(0, 160)).find(Boolean) ??
        shown.id,
      severity,
      // Records may fix it in different releases: the highest is the one that fixes all of them.
      ...(fixes.length && {
        fixed: fixes.reduce((a, b) => ((COMPARE[dependency.ecosystem](a, b) ?? 0) >= 0 ? a : b))
      }),
      url: recordUrl(shown.id)
    }
  })
  return { vulnerabilities, unjudged }
}
