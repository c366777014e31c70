import { fullFormats } from 'ajv-formats/dist/formats.js'
import { userPatternProblem } from './user-pattern.js'

/**
 * The formats the gates file schema uses, for the validator compiled at build time
 * (scripts/build-validator.mjs): `regex` as the checks compile user patterns (RE2's linear-time
 * engine, util/user-pattern), `date` and `uri` as ajv-formats defines them.
 */
export const regex = (text: string): boolean => userPatternProblem(text) === undefined
export const date = asFunction(fullFormats.date)
export const uri = asFunction(fullFormats.uri)

/** ajv-formats defines some formats as `{ validate, compare }`; the generated code calls functions. */
function asFunction(format: unknown): (text: string) => boolean {
  const validate =
    typeof format === 'function'
      ? format
      : (format as { validate: RegExp | ((text: string) => boolean) }).validate
  return validate instanceof RegExp
    ? (text) => validate.test(text)
    : (validate as (text: string) => boolean)
}
