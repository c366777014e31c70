import picomatch from 'picomatch'
import parseSpdx from 'spdx-expression-parse'
import correctSpdx from 'spdx-correct'

/** A licence as a package declares it, read as SPDX. */
export type DeclaredLicense =
  | {
      kind: 'spdx'
      expression: string
      /** The text it was corrected from (`Apache 2.0`). */ corrected?: string
    }
  /** npm's `UNLICENSED`: not licensed for use by others. */
  | { kind: 'proprietary'; text: string }
  /** Nothing usable: no licence field, `SEE LICENSE IN …`, text no SPDX id corrects to. */
  | { kind: 'unknown'; text?: string; reason: string }

/**
 * A declared licence read as an SPDX expression: valid expressions as they are; legacy and
 * misspelt ones (`Apache 2.0`, `MIT/X11`) corrected by spdx-correct, and said to be; `UNLICENSED`
 * is npm's "proprietary" (spdx-correct would turn it into the Unlicense, its opposite).
 */
export function readLicense(text: string | undefined): DeclaredLicense {
  const value = text?.trim()
  if (!value) return { kind: 'unknown', reason: 'no licence declared' }
  if (/^UNLICENSED$/i.test(value)) return { kind: 'proprietary', text: value }
  if (/^SEE LICEN[CS]E IN /i.test(value))
    return { kind: 'unknown', text: value, reason: `a licence file, not an SPDX id (${value})` }
  try {
    parseSpdx(value)
    return { kind: 'spdx', expression: value }
  } catch {
    const corrected = correctSpdx(value, { upgrade: true })
    if (corrected) return { kind: 'spdx', expression: corrected, corrected: value }
    return { kind: 'unknown', text: value, reason: `not an SPDX expression (${value})` }
  }
}

interface Node {
  license?: string
  plus?: boolean
  exception?: string
  left?: Node
  right?: Node
  conjunction?: 'and' | 'or'
}

/** The expression's choices: one list of licences per way of complying (OR picks, AND joins). */
export function choicesOf(expression: string): string[][] {
  const walk = (node: Node): string[][] => {
    if (node.license)
      return [
        [`${node.license}${node.plus ? '+' : ''}${node.exception ? ` WITH ${node.exception}` : ''}`]
      ]
    const left = walk(node.left!)
    const right = walk(node.right!)
    if (node.conjunction === 'or') return [...left, ...right]
    return left.flatMap((a) => right.map((b) => [...a, ...b]))
  }
  return walk(parseSpdx(expression) as Node)
}

/**
 * Whether one licence (`GPL-2.0+ WITH Classpath-exception-2.0`) is named by a policy entry: an SPDX
 * id, its family (`GPL-3.0` names -only, -or-later and +), or a glob (`AGPL-*`), case-insensitive.
 */
export function names(entry: string, license: string): boolean {
  const id = license.replace(/ WITH .*$/, '')
  const bare = id.replace(/(\+|-only|-or-later)$/, '')
  const matches = picomatch(entry, { nocase: true })
  return matches(license) || matches(id) || matches(bare)
}

export interface LicenseVerdict {
  allowed: boolean
  /** The choice that complies, or the licences that stop every choice. */
  detail: string
}

/**
 * Judges an SPDX expression against the policy: with `allow`, some choice must consist of allowed
 * licences only; with `deny`, some choice must contain no denied one (both: both hold).
 */
export function judgeLicense(
  expression: string,
  policy: { allow?: string[]; deny?: string[] }
): LicenseVerdict {
  const choices = choicesOf(expression)
  const fine = (choice: string[]) =>
    (!policy.allow ||
      choice.every((license) => policy.allow!.some((entry) => names(entry, license)))) &&
    !(policy.deny ?? []).some((entry) => choice.some((license) => names(entry, license)))
  const compliant = choices.find(fine)
  if (compliant) return { allowed: true, detail: compliant.join(' AND ') }
  const offending = new Set(
    choices.flatMap((choice) =>
      choice.filter(
        (license) =>
          (policy.allow && !policy.allow.some((entry) => names(entry, license))) ||
          (policy.deny ?? []).some((entry) => names(entry, license))
      )
    )
  )
  return { allowed: false, detail: [...offending].join(', ') }
}
