/** An OSV record, the fields this product reads (https://ossf.github.io/osv-schema/). */
export interface OsvRecord {
  id: string
  modified?: string
  withdrawn?: string
  aliases?: string[]
  summary?: string
  details?: string
  severity?: Array<{ type: string; score: string }>
  affected?: OsvAffected[]
  references?: Array<{ type: string; url: string }>
  database_specific?: { severity?: string } & Record<string, unknown>
}

export interface OsvAffected {
  package?: { ecosystem?: string; name?: string; purl?: string }
  ranges?: Array<{ type: string; events: OsvEvent[] }>
  versions?: string[]
  severity?: Array<{ type: string; score: string }>
  ecosystem_specific?: { severity?: string } & Record<string, unknown>
  database_specific?: { severity?: string } & Record<string, unknown>
}

export interface OsvEvent {
  introduced?: string
  fixed?: string
  last_affected?: string
  limit?: string
}

/** Whether a parsed JSON value has the shape of an OSV record (an id and a list of affected). */
export function isOsvRecord(value: unknown): value is OsvRecord {
  const record = value as OsvRecord | null
  return (
    typeof record === 'object' &&
    record !== null &&
    typeof record.id === 'string' &&
    (record.affected === undefined || Array.isArray(record.affected))
  )
}

/** The record's page for a reader: GitHub's for a GHSA, osv.dev's otherwise. */
export function recordUrl(id: string): string {
  return /^GHSA-/.test(id)
    ? `https://github.com/advisories/${id}`
    : `https://osv.dev/vulnerability/${id}`
}
