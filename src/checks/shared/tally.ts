import { cell } from '../../util/text.js'

/** Occurrences by key, most first (then by name), for "by file" and "by rule" summaries. */
export function countBy<T>(items: T[], key: (item: T) => string): Array<[string, number]> {
  const counts = new Map<string, number>()
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1)
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
}

/** A two-column table of the worst first, at most 10 rows. */
export function countTable(label: string, counts: Array<[string, number]>): string {
  const rows = counts.slice(0, 10).map(([name, count]) => `| \`${cell(name)}\` | ${count} |`)
  const more = counts.length > 10 ? `\n\n…and ${counts.length - 10} more` : ''
  return [`| ${label} | Count |`, '|---|---:|', ...rows].join('\n') + more
}
