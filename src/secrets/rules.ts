import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { catalogDir } from '../config/catalog.js'

/** One rule of `gates/secret-rules.yml`, as written: a text rule, or a binary key-store rule. */
export type SecretRuleSource =
  | {
      id: string
      description: string
      keywords: string[]
      regex: string
      'ignore-case'?: boolean
      entropy?: number
      issued?: boolean
      examples: { match: string[]; 'no-match': string[] }
    }
  | { id: string; description: string; format: 'pkcs12'; passwords: string[]; issued?: boolean }

import type { SecretRule } from './rule.js'

export type { SecretRule } from './rule.js'

/** The rules that ship with the action: gates/secret-rules.yml beside the bundle or the source. */
export function builtInRulesPath(): string {
  return join(catalogDir(), 'secret-rules.yml')
}

/** Reads and compiles a rules file; a rule that does not compile names itself and the reason. */
export function loadSecretRules(path: string = builtInRulesPath()): SecretRule[] {
  return parseSecretRules(readFileSync(path, 'utf8'), path)
}

/**
 * Parses a rules file's text. Anything that is not one (no `rules` list, a rule without an id,
 * keywords or a regex that compiles) is refused with the rule and the reason, never read as
 * "no rules".
 */
export function parseSecretRules(text: string, file: string): SecretRule[] {
  const document = parseDocument(text)
  if (document.errors.length) throw new Error(`${file}: ${document.errors[0]!.message}`)
  const data = document.toJS({ maxAliasCount: 100 }) as { rules?: unknown } | null
  if (!data || typeof data !== 'object' || !Array.isArray(data.rules) || !data.rules.length)
    throw new Error(`${file} is not a rules file: it needs a non-empty 'rules' list`)
  return data.rules.map((rule: unknown, index) => {
    const candidate = rule as Partial<Record<string, unknown>> | null
    const name = typeof candidate?.id === 'string' ? candidate.id : `rules[${index}]`
    if (!candidate || typeof candidate !== 'object' || typeof candidate.id !== 'string')
      throw new Error(`${file}: ${name} needs an 'id'`)
    if (candidate.format === undefined) {
      if (typeof candidate.regex !== 'string')
        throw new Error(`${file}: secret rule ${name} needs a 'regex'`)
      if (
        !Array.isArray(candidate.keywords) ||
        !candidate.keywords.length ||
        candidate.keywords.some((keyword) => typeof keyword !== 'string' || !keyword)
      )
        throw new Error(
          `${file}: secret rule ${name} needs 'keywords', a list of words its secrets contain (the scanner's prefilter)`
        )
    }
    return compileRule({ description: name, ...candidate } as SecretRuleSource)
  })
}

/** A pattern that matches nothing: a binary rule's, which never runs on text. */
const NEVER = /(?!)/gm

export function compileRule(source: SecretRuleSource): SecretRule {
  if ('format' in source) {
    if (source.format !== 'pkcs12' || !Array.isArray(source.passwords))
      throw new Error(`secret rule ${source.id}: format pkcs12 needs a list of passwords`)
    return {
      id: source.id,
      description: source.description,
      keywords: [],
      pattern: NEVER,
      issued: source.issued === true,
      pkcs12Passwords: source.passwords.map(String),
      examples: { match: [], noMatch: [] }
    }
  }
  let pattern: RegExp
  try {
    pattern = new RegExp(source.regex, `gm${source['ignore-case'] ? 'i' : ''}`)
  } catch (error) {
    throw new Error(`secret rule ${source.id}: invalid regex: ${(error as Error).message}`)
  }
  return {
    id: source.id,
    description: source.description,
    keywords: source.keywords.map((keyword) => keyword.toLowerCase()),
    pattern,
    issued: source.issued === true,
    ...(source.entropy !== undefined && { entropy: source.entropy }),
    examples: { match: source.examples?.match ?? [], noMatch: source.examples?.['no-match'] ?? [] }
  }
}
