/** A rule ready to scan with. */
export interface SecretRule {
  id: string
  description: string
  /** Lower case; the regex runs only on text that contains one. */
  keywords: string[]
  /** Global, multiline; group `secret`, else the first non-empty group, is the secret. */
  pattern: RegExp
  entropy?: number
  /** Its secrets are random tokens a service issues, never values a person chose. */
  issued: boolean
  /**
   * A binary key-store rule (`format: pkcs12`): the well-known passwords it tries. Such a rule
   * has no keywords, so its regex never runs on text.
   */
  pkcs12Passwords?: string[]
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
  issued: boolean
  pkcs12Passwords?: string[]
}

export function toPortable(rule: SecretRule): PortableRule {
  return {
    id: rule.id,
    description: rule.description,
    keywords: rule.keywords,
    source: rule.pattern.source,
    flags: rule.pattern.flags,
    issued: rule.issued,
    ...(rule.entropy !== undefined && { entropy: rule.entropy }),
    ...(rule.pkcs12Passwords && { pkcs12Passwords: rule.pkcs12Passwords })
  }
}

export function fromPortable(rule: PortableRule): SecretRule {
  return {
    id: rule.id,
    description: rule.description,
    keywords: rule.keywords,
    pattern: new RegExp(rule.source, rule.flags),
    issued: rule.issued,
    ...(rule.entropy !== undefined && { entropy: rule.entropy }),
    ...(rule.pkcs12Passwords && { pkcs12Passwords: rule.pkcs12Passwords }),
    examples: { match: [], noMatch: [] }
  }
}
