import { cell } from '../../util/text.js'

/** One thing a gate asserts, and what it found: every failure says what was expected and what came back. */
export interface Assertion {
  /** What is checked, e.g. `status`, `header Strict-Transport-Security`. */
  what: string
  expected: string
  got: string
  ok: boolean
}

/** A markdown table of assertions, failures first, each with what was expected and what came back. */
export function renderAssertions(assertions: Assertion[]): string {
  const ordered = [
    ...assertions.filter((item) => !item.ok),
    ...assertions.filter((item) => item.ok)
  ]
  return [
    '| | check | expected | got |',
    '|---|---|---|---|',
    ...ordered.map(
      (item) =>
        `| ${item.ok ? '✅' : '❌'} | ${cell(item.what)} | ${cell(item.expected)} | ${cell(item.got)} |`
    )
  ].join('\n')
}

/** The first failure as one line: `status: expected 2xx, got 503`. */
export function describeFailure(assertion: Assertion): string {
  return `${assertion.what}: expected ${assertion.expected}, got ${assertion.got}`
}
