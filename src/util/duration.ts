const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** The duration syntax the schema accepts: a whole number of seconds, or `500ms`, `30s`, `10m`, `1h`. */
export const DURATION_PATTERN = '^[0-9]+(ms|s|m|h)$'

export function parseDuration(value: number | string): number {
  if (typeof value === 'number') return value * 1000
  const match = /^(\d+)(ms|s|m|h)$/.exec(value)
  if (!match) throw new Error(`not a duration: ${value}`)
  return Number(match[1]) * UNIT_MS[match[2]!]!
}

/** A short human duration: 850ms, 12.3s, 4m 05s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`
  const minutes = Math.floor(ms / 60_000)
  const seconds = Math.round((ms % 60_000) / 1000)
  return `${minutes}m ${String(seconds).padStart(2, '0')}s`
}
