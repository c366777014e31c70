import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { catalogDir } from '../config/catalog.js'

/** One rule of `gates/secret-rules.yml`, as written. */
export interface SecretRuleSource {
  id: string
  description: string
  keywords: string[]
  regex: string
  'ignore-case'?: boolean
  entropy?: number
  examples: { match: string[]; 'no-match': string[] }
}

import type { SecretRule } from './rule.js'

export type { SecretRule } from './rule.js'

/** The rules that ship with the action: gates/secret-rules.yml beside the bundle or the source. */
export function builtInRulesPath(): string {
  return join(catalogDir(), 'secret-rules.yml')
}

/** Reads and compiles a rules file; a rule that does not compile names itself and the reason. */
export function loadSecretRules(path: string = builtInRulesPath()): SecretRule[] {
  const document = parseDocument(readFileSync(path, 'utf8'))
  if (document.errors.length) throw new Error(`${path}: ${document.errors[0]!.message}`)
  const { rules } = document.toJS() as { rules: SecretRuleSource[] }
  return rules.map(compileRule)
}

export function compileRule(source: SecretRuleSource): SecretRule {
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
    ...(source.entropy !== undefined && { entropy: source.entropy }),
    examples: { match: source.examples?.match ?? [], noMatch: source.examples?.['no-match'] ?? [] }
  }
}
