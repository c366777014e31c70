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
  private pattern: RegExp | undefined

  constructor(private readonly onAdd: (value: string) => void = () => undefined) {}

  add(value: string | undefined): void {
    if (!value) return
    const lines = value.split(/\r?\n/)
    const parts = lines.length > 1 ? [value, ...lines.map((line) => line.trim())] : [value]
    for (const part of parts) {
      if (part.length < MIN_REDACTED_LENGTH || this.values.has(part)) continue
      this.values.add(part)
      this.pattern = undefined
      if (!/[\r\n]/.test(part)) this.onAdd(part)
    }
  }

  get size(): number {
    return this.values.size
  }

  redact(text: string): string {
    if (this.values.size === 0 || !text) return text
    this.pattern ??= new RegExp(
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g'
    )
    return text.replace(this.pattern, REDACTED)
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
