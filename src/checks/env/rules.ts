import type { EnvOptions } from '../../config/generated/options.js'
import { settingPlaceholderReason } from '../../util/placeholders.js'
import { compileUserPattern } from '../../util/user-pattern.js'

/** One variable with rules, as the schema (and so the validator) gives it. */
export type VariableRule = Exclude<EnvOptions['variables'][number], string>

export interface VariableVerdict {
  name: string
  ok: boolean
  /** What is wrong, described without ever quoting the value. */
  problems: string[]
  /** A neutral description of what was found, e.g. "set, 44 characters". */
  found: string
}

export interface EvaluateContext {
  rejectPlaceholders: boolean
  /** The value the template file (.env.example) gives this variable, if any. */
  exampleValue?: string
  exampleFile?: string
}

/**
 * Judges one variable's value against its rules. Pure, and never puts the value into any
 * string it returns: messages say "12 characters, needs at least 32", not what the characters are.
 */
export function evaluateVariable(
  rule: VariableRule,
  value: string | undefined,
  context: EvaluateContext
): VariableVerdict {
  const verdict = (problems: string[], found: string): VariableVerdict => ({
    name: rule.name,
    ok: problems.length === 0,
    problems,
    found
  })
  if (value === undefined) return verdict(['not set'], 'not set')
  if (value.trim() === '') {
    return verdict(
      ['set but empty (a GitHub secret that does not exist arrives as an empty string)'],
      'empty'
    )
  }
  const length = [...value].length
  const found = `set, ${length} character${length === 1 ? '' : 's'}`
  const problems: string[] = []
  const minLength = rule['min-length']
  if (minLength !== undefined && length < minLength) {
    problems.push(`needs at least ${minLength}`) // read after `found`: "set, 12 characters: needs at least 32"
  }
  if (rule.pattern !== undefined && !compileUserPattern(rule.pattern).test(value)) {
    problems.push(`does not match /${rule.pattern}/`)
  }
  if (rule.equals !== undefined && value !== rule.equals) {
    problems.push(`is not '${rule.equals}'`)
  }
  if (context.rejectPlaceholders && !rule['allow-placeholder']) {
    const reason = settingPlaceholderReason(value)
    if (reason) problems.push(`looks like a placeholder (${reason})`)
    if (context.exampleValue && value === context.exampleValue) {
      problems.push(`equals the sample value in ${context.exampleFile ?? 'the example file'}`)
    }
  }
  return verdict(problems, found)
}

/** Keys of the example file that are neither required nor listed optional. */
export function uncoveredExampleKeys(
  exampleKeys: Iterable<string>,
  required: ReadonlySet<string>,
  optional: ReadonlySet<string>
): string[] {
  return [...exampleKeys].filter((key) => !required.has(key) && !optional.has(key))
}
