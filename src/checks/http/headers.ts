import type { Assertion } from '../shared/assertions.js'
import { compileUserPattern } from '../../util/user-pattern.js'

/** What a required response header must hold: `true` (present), an exact value, or conditions. */
export type HeaderRule =
  | true
  | string
  | {
      equals?: string
      'one-of'?: string[]
      contains?: string | string[]
      'not-contains'?: string | string[]
      /** A JavaScript regular expression the value must match. */
      matches?: string
      /** The value's `max-age=N` directive is at least this many seconds (HSTS, Cache-Control). */
      'max-age'?: number
      'include-subdomains'?: boolean
      preload?: boolean
    }

/** A header that must be absent, or absent with a value that matches (`Server` with a version). */
export type ForbiddenHeader = string | { name: string; matches?: string }

/**
 * `security-headers: true`: what the checklists' "security headers configured" means, as the
 * OWASP Secure Headers project and Mozilla's Observatory score it. Explicit `headers` win.
 */
export const SECURITY_HEADERS: Record<string, HeaderRule> = {
  'Strict-Transport-Security': { 'max-age': 15_552_000 },
  'Content-Security-Policy': true,
  'X-Frame-Options': { 'one-of': ['DENY', 'SAMEORIGIN'] },
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': { 'not-contains': 'unsafe-url' }
}
export const SECURITY_FORBIDDEN: ForbiddenHeader[] = [
  'X-Powered-By',
  { name: 'Server', matches: '\\d' }
]

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : [value].flat()

/** Judges the required and forbidden headers of one response (names are case-insensitive). */
export function checkHeaders(
  headers: Record<string, string>,
  required: Record<string, HeaderRule>,
  forbidden: ForbiddenHeader[]
): Assertion[] {
  const assertions: Assertion[] = []
  for (const [name, rule] of Object.entries(required)) {
    const value = headers[name.toLowerCase()]
    const expected = describeRule(rule)
    const problem = value === undefined ? 'absent' : ruleProblem(value, rule)
    assertions.push({
      what: `header ${name}`,
      expected,
      got: value === undefined ? 'absent' : problem ? `${value} (${problem})` : value,
      ok: problem === undefined
    })
  }
  for (const entry of forbidden) {
    const { name, matches } =
      typeof entry === 'string' ? { name: entry, matches: undefined } : entry
    const value = headers[name.toLowerCase()]
    const present = value !== undefined && (!matches || compileUserPattern(matches).test(value))
    assertions.push({
      what: `header ${name}`,
      expected: matches ? `absent, or not matching /${matches}/` : 'absent',
      got: value === undefined ? 'absent' : value,
      ok: !present
    })
  }
  return assertions
}

function ruleProblem(value: string, rule: HeaderRule): string | undefined {
  if (rule === true) return undefined
  if (typeof rule === 'string')
    return value.trim().toLowerCase() === rule.toLowerCase() ? undefined : `not ${rule}`
  const lower = value.toLowerCase()
  if (rule.equals !== undefined && value.trim().toLowerCase() !== rule.equals.toLowerCase())
    return `not ${rule.equals}`
  if (rule['one-of'] && !rule['one-of'].some((option) => option.toLowerCase() === lower.trim()))
    return `not one of ${rule['one-of'].join(', ')}`
  const missing = list(rule.contains).find((part) => !lower.includes(part.toLowerCase()))
  if (missing !== undefined) return `lacks ${missing}`
  const present = list(rule['not-contains']).find((part) => lower.includes(part.toLowerCase()))
  if (present !== undefined) return `contains ${present}`
  if (rule.matches !== undefined && !compileUserPattern(rule.matches).test(value))
    return `does not match /${rule.matches}/`
  if (rule['max-age'] !== undefined) {
    const maxAge = /(?:^|[;,\s])max-age\s*=\s*"?(\d+)/i.exec(value)
    if (!maxAge) return 'no max-age'
    if (Number(maxAge[1]) < rule['max-age']) return `max-age ${maxAge[1]} < ${rule['max-age']}`
  }
  const directives = lower.split(/[;,]/).map((part) => part.trim())
  if (rule['include-subdomains'] && !directives.includes('includesubdomains'))
    return 'no includeSubDomains'
  if (rule.preload && !directives.includes('preload')) return 'no preload'
  return undefined
}

function describeRule(rule: HeaderRule): string {
  if (rule === true) return 'present'
  if (typeof rule === 'string') return rule
  const parts = [
    rule.equals,
    rule['one-of'] && `one of ${rule['one-of'].join(', ')}`,
    ...list(rule.contains).map((part) => `contains ${part}`),
    ...list(rule['not-contains']).map((part) => `without ${part}`),
    rule.matches && `matches /${rule.matches}/`,
    rule['max-age'] !== undefined && `max-age ≥ ${rule['max-age']}`,
    rule['include-subdomains'] && 'includeSubDomains',
    rule.preload && 'preload'
  ].filter(Boolean)
  return parts.length ? parts.join(', ') : 'present'
}
