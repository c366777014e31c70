/** The shortest value worth redacting: shorter ones would shred ordinary words in the output. */
export const MIN_REDACTED_LENGTH = 4
export const REDACTED = '***'

/**
 * Remembers secret values (env var values, found secrets, tokens) and removes them from any text
 * that leaves the process. Checks never print values; this is the second line of defence.
 *
 * A multi-line value (a PEM key) is also remembered line by line, and `onAdd` sees each line on
 * its own: the runner's `::add-mask::` masks nothing of a value that spans lines, and a tool may
 * print one line of a key without the rest.
 */
export class Redactor {
  private readonly values = new Set<string>()
  /** The values by a hash of their first characters, longest first: see `redact`. */
  private index: Map<number, PrefixGroups> | undefined

  constructor(private readonly onAdd: (value: string) => void = () => undefined) {}

  add(value: string | undefined): void {
    if (!value) return
    const lines = value.split(/\r?\n/)
    const parts = lines.length > 1 ? [value, ...lines.map((line) => line.trim())] : [value]
    for (const part of parts) {
      if (part.length < MIN_REDACTED_LENGTH || this.values.has(part)) continue
      this.values.add(part)
      this.index = undefined
      if (!/[\r\n]/.test(part)) this.onAdd(part)
    }
  }

  get size(): number {
    return this.values.size
  }

  /**
   * Replaces every value in `text`, leftmost first, the longest where several start at one place.
   * One pass over the text whatever the number of values (a scan that finds 20,000 secrets
   * registers 20,000): at each position, only values that start with the same four characters
   * are looked up, one set lookup per length among them. (A regular expression of 20,000
   * alternatives took 22 s on one report.)
   */
  redact(text: string): string {
    if (this.values.size === 0 || !text) return text
    const index = (this.index ??= indexByPrefix(this.values))
    let redacted = ''
    let copied = 0
    for (let at = 0; at + MIN_REDACTED_LENGTH <= text.length;) {
      const groups = index.get(prefixHash(text, at))
      const length = groups?.find(
        (group) =>
          at + group.length <= text.length && group.values.has(text.slice(at, at + group.length))
      )?.length
      if (length === undefined) {
        at++
        continue
      }
      redacted += text.slice(copied, at) + REDACTED
      at += length
      copied = at
    }
    return copied === 0 ? text : redacted + text.slice(copied)
  }

  /** Redacts every string inside a JSON-like value (keys too), returning a copy. */
  redactDeep<T>(value: T): T {
    if (typeof value === 'string') return this.redact(value) as T
    if (Array.isArray(value)) return value.map((item) => this.redactDeep(item)) as T
    if (value instanceof Date) return value
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [this.redact(key), this.redactDeep(item)])
      ) as T
    }
    return value
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Values that share their first characters, by length, longest first. */
type PrefixGroups = Array<{ length: number; values: Set<string> }>

/** A hash of the MIN_REDACTED_LENGTH characters at `at` (every value has that many). */
function prefixHash(text: string, at: number): number {
  let hash = 0
  for (let offset = 0; offset < MIN_REDACTED_LENGTH; offset++)
    hash = (Math.imul(hash, 65599) + text.charCodeAt(at + offset)) | 0
  return hash
}

function indexByPrefix(values: Iterable<string>): Map<number, PrefixGroups> {
  const index = new Map<number, PrefixGroups>()
  for (const value of values) {
    const hash = prefixHash(value, 0)
    let groups = index.get(hash)
    if (!groups) index.set(hash, (groups = []))
    let group = groups.find((candidate) => candidate.length === value.length)
    if (!group) {
      groups.push((group = { length: value.length, values: new Set() }))
      groups.sort((a, b) => b.length - a.length)
    }
    group.values.add(value)
  }
  return index
}
