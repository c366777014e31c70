/** A rule ready to scan with. */
export interface SecretRule {
  id: string
  description: string
  /** Lower case; the regex runs only on text that contains one. */
  keywords: string[]
  /** Global, multiline; group `secret`, else the first non-empty group, is the secret. */
  pattern: RegExp
  entropy?: number
  examples: { match: string[]; noMatch: string[] }
}

/** A compiled rule as plain data, for a worker thread: RegExp objects do not cross threads. */
export interface PortableRule {
  id: string
  description: string
  keywords: string[]
  source: string
  flags: string
  entropy?: number
}

export function toPortable(rule: SecretRule): PortableRule {
  return {
    id: rule.id,
    description: rule.description,
    keywords: rule.keywords,
    source: rule.pattern.source,
    flags: rule.pattern.flags,
    ...(rule.entropy !== undefined && { entropy: rule.entropy })
  }
}

export function fromPortable(rule: PortableRule): SecretRule {
  return {
    id: rule.id,
    description: rule.description,
    keywords: rule.keywords,
    pattern: new RegExp(rule.source, rule.flags),
    ...(rule.entropy !== undefined && { entropy: rule.entropy }),
    examples: { match: [], noMatch: [] }
  }
}
