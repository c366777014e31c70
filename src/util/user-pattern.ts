import { RE2JS } from 're2js'

/** A match as the callers need it: where it starts, and its named groups. */
export interface PatternMatch {
  index: number
  groups: Record<string, string | undefined>
}

/** A regular expression from a gates file, matched in linear time. */
export interface UserPattern {
  readonly source: string
  test(text: string): boolean
  exec(text: string): PatternMatch | null
}

/**
 * Compiles a pattern a user wrote (a `files` rule, a problem matcher, an `env` pattern, a header
 * rule, a secrets `allow`) with RE2's linear-time engine (re2js): `^(a+)+$` on `aaaa…!` takes
 * milliseconds, not minutes, so no pattern can hold a gate past its timeout or ignore a signal.
 * JavaScript syntax is accepted (`(?<name>…)`, `\d`, `\b`, `\p{L}`); what needs backtracking
 * (backreferences, lookahead, lookbehind) is refused when the gates file is validated.
 */
export function compileUserPattern(
  source: string,
  options: { ignoreCase?: boolean } = {}
): UserPattern {
  const compiled = RE2JS.compile(
    RE2JS.translateRegExp(source),
    options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0
  )
  return {
    source,
    test: (text) => compiled.test(text),
    exec(text) {
      const match = compiled.exec(text) as (string[] & { index: number; groups?: object }) | null
      if (!match) return null
      return {
        index: match.index,
        groups: { ...(match.groups as Record<string, string | undefined> | undefined) }
      }
    }
  }
}

/** Why a user's pattern cannot be used, or undefined when it compiles. */
export function userPatternProblem(source: string): string | undefined {
  try {
    compileUserPattern(source)
    return undefined
  } catch (error) {
    const message = (error as Error).message.replace(/^error parsing regexp: /, '')
    const backtracking = /\\[1-9]|\(\?[=!]|\(\?<[=!]/.test(source)
    return backtracking
      ? `${message} (backreferences and lookaround need a backtracking engine, which could run for minutes: patterns here are matched in linear time)`
      : message
  }
}

/** The named groups a pattern declares (`(?<file>…)`). */
export function namedGroups(source: string): string[] {
  return [...source.matchAll(/\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((match) => match[1]!)
}
