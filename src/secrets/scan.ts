import { shannonEntropy } from './entropy.js'
import { KeywordMatcher } from './keywords.js'
import { madeUpReason } from './made-up.js'
import { isIdentifierLike, isPlaceholderSecret } from './placeholders.js'
import type { SecretRule } from './rule.js'
import { lineIndexAt, lineStartsOf } from '../util/lines.js'

/** One secret found in a text. `secret` never leaves the scanner unredacted. */
export interface SecretMatch {
  ruleId: string
  /** 1-based. */
  line: number
  column: number
  endColumn: number
  secret: string
}

export interface ScanOptions {
  /** Secrets (or their whole lines) matching one of these are not reported. */
  allow?: ReadonlyArray<{ test(text: string): boolean }>
  /** Lines matching this are skipped (a lockfile's integrity hashes). */
  skipLine?: RegExp
  /**
   * Matches that start at or after this offset are not reported: a piece of a large file is
   * searched with the start of the next piece after it, which reports them itself.
   */
  reportBefore?: number
}

/** The marker that allows a secret on its own line: `release-gates:allow-secret`. */
export const ALLOW_COMMENT = 'release-gates:allow-secret'

/**
 * Finds secrets in one text. A rule's regex runs only when one of its keywords occurs; a match
 * counts when its secret is not a placeholder, reaches the rule's entropy, is not allowed, and
 * does not overlap a match of an earlier (more specific) rule.
 */
export function scanText(
  text: string,
  rules: SecretRule[],
  options: ScanOptions = {}
): SecretMatch[] {
  const prefilter = prefilterFor(rules)
  const present = prefilter.matcher.find(text)
  if (!present.size) return []
  const lineStarts = lineStartsOf(text)
  const found: Array<SecretMatch & { start: number; end: number }> = []
  for (const [ruleIndex, rule] of rules.entries()) {
    if (!prefilter.keywordsOf[ruleIndex]!.some((keyword) => present.has(keyword))) continue
    const pattern = rule.pattern
    pattern.lastIndex = 0
    for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
      if (options.reportBefore !== undefined && match.index >= options.reportBefore) break
      if (match[0] === '') {
        pattern.lastIndex++
        continue
      }
      const secret = match.groups?.secret ?? match.slice(1).find((group) => group) ?? match[0]
      const start = match.index + Math.max(0, match[0].indexOf(secret))
      const end = start + secret.length
      if (found.some((other) => start < other.end && other.start < end)) continue
      if (isPlaceholderSecret(secret)) continue
      // A keyword-anchored rule (its secret is a named group) must not report a name, a value
      // a person made up, or prose.
      if (match.groups?.secret !== undefined && !isIssuedValue(match.groups, text, end)) continue
      if (rule.entropy !== undefined && shannonEntropy(secret) < rule.entropy) continue
      const line = lineIndexAt(lineStarts, start)
      const lineText = text.slice(lineStarts[line], (lineStarts[line + 1] ?? text.length + 1) - 1)
      if (lineText.includes(ALLOW_COMMENT)) continue
      if (options.skipLine?.test(lineText)) continue
      if (options.allow?.some((allow) => allow.test(secret) || allow.test(lineText))) continue
      found.push({
        ruleId: rule.id,
        line: line + 1,
        column: start - lineStarts[line]! + 1,
        endColumn:
          Math.min(end, (lineStarts[line + 1] ?? text.length + 1) - 1) - lineStarts[line]! + 1,
        secret,
        start,
        end
      })
    }
  }
  return found
    .sort((a, b) => a.start - b.start)
    .map(({ start: _start, end: _end, ...match }) => match)
}

/**
 * Whether a keyword-anchored match's value could have been issued: not a name or expression, not
 * made up (`madeUpReason`), and not the first word of prose (`token: 32-character random
 * string`): an unquoted value set with `:` and followed by more words on its line. (`=` keeps
 * `PGPASSWORD=s3cr3t psql …`, a real value before a command.)
 */
function isIssuedValue(groups: Record<string, string | undefined>, text: string, end: number) {
  const secret = groups.secret!
  const quoted = groups.quote !== undefined
  if (isIdentifierLike(secret, quoted, /pass|pwd/i.test(groups.key ?? ''))) return false
  if (madeUpReason(secret) !== undefined) return false
  return !(!quoted && groups.op === ':' && /^ +[A-Za-z]{2,}[ ,.]/.test(text.slice(end, end + 40)))
}

const prefilters = new WeakMap<SecretRule[], { matcher: KeywordMatcher; keywordsOf: number[][] }>()

/** One keyword automaton per rule set, built once: every keyword of every rule, by index. */
function prefilterFor(rules: SecretRule[]): { matcher: KeywordMatcher; keywordsOf: number[][] } {
  let prefilter = prefilters.get(rules)
  if (!prefilter) {
    const keywords = [...new Set(rules.flatMap((rule) => rule.keywords))]
    prefilter = {
      matcher: new KeywordMatcher(keywords),
      keywordsOf: rules.map((rule) => rule.keywords.map((keyword) => keywords.indexOf(keyword)))
    }
    prefilters.set(rules, prefilter)
  }
  return prefilter
}
