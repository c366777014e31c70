/** Pure parts of the `http` check: status expectations, JSON paths, percentiles, templates. */

export type StatusExpectation = number | number[] | string

/** `200`, `[200, 204]`, `'2xx'`, `'200-299'`: whether `status` is expected. */
export function statusMatches(status: number, expected: StatusExpectation): boolean {
  if (typeof expected === 'number') return status === expected
  if (Array.isArray(expected)) return expected.includes(status)
  const range = /^(\d)xx$/i.exec(expected)
  if (range) return Math.floor(status / 100) === Number(range[1])
  const span = /^(\d{3})-(\d{3})$/.exec(expected)
  if (span) return status >= Number(span[1]) && status <= Number(span[2])
  return String(status) === expected
}

export function describeStatus(expected: StatusExpectation): string {
  return Array.isArray(expected) ? expected.join(' or ') : String(expected)
}

/** `checks.db.status`, `items[0].id`: the value at a path, or `undefined` when there is none. */
export function valueAtPath(document: unknown, path: string): unknown {
  let current: unknown = document
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string, unknown>)[part]
  }
  return current
}

/** Deep equality of JSON values (key order does not matter). */
export function jsonEquals(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keys = Object.keys(a)
  if (keys.length !== Object.keys(b).length) return false
  return keys.every((key) =>
    jsonEquals((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])
  )
}

/** The nearest-rank percentile (p in 0..100) of durations. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}

/**
 * Replaces `${NAME}` with the environment's value. Returns the text and the names that were
 * not set; `onValue` sees each value used, so the caller can mask it.
 */
export function expandEnv(
  template: string,
  env: NodeJS.ProcessEnv,
  onValue: (value: string) => void = () => {}
): { text: string; missing: string[] } {
  const missing: string[] = []
  const text = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => {
    const value = env[name]
    if (value === undefined || value === '') {
      missing.push(name)
      return ''
    }
    onValue(value)
    return value
  })
  return { text, missing }
}
