import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js'
import * as compiled from './generated/gates-validator.js'
import { suggestion } from '../util/did-you-mean.js'
import { userPatternProblem } from '../util/user-pattern.js'
import type { ConfigProblem } from './errors.js'
import type { DocPath, SourceFile } from './source.js'

export interface SchemaValidator {
  /** Validates a whole gates file. */
  file: ValidateFunction
  /** Validates a check kind's `with` (after environment overrides are merged). */
  withOf(kind: string): ValidateFunction | undefined
}

const validators = compiled as unknown as Record<string, ValidateFunction>

/**
 * The validators of gates/schema.json, compiled at build time (scripts/build-validator.mjs) with
 * the formats of util/schema-formats and the `maxDuration` keyword: nothing is compiled at start.
 */
export function schemaValidator(): SchemaValidator {
  return {
    file: validators.file!,
    withOf: (kind) =>
      validators[`with-${kind}`.replace(/-(\w)/g, (_all, letter: string) => letter.toUpperCase())]
  }
}

/** Every schema problem of a gates file, each at its line and column. */
export function validateSource(source: SourceFile): ConfigProblem[] {
  const { file } = schemaValidator()
  if (file(source.value)) return []
  return translateErrors(file.errors ?? [], source, [])
}

/**
 * Turns ajv's errors into a maintainer's messages: what is wrong, where, and what was expected.
 * `base` prefixes instance paths when a sub-document (a merged `with`) was validated.
 */
export function translateErrors(
  errors: ErrorObject[],
  source: SourceFile,
  base: DocPath
): ConfigProblem[] {
  const problems = new Map<string, ConfigProblem>()
  for (const error of errors) {
    // `if` only says "must match then"; the errors inside `then` say what is wrong.
    if (error.keyword === 'if') continue
    const path = [...base, ...pointerToPath(error.instancePath, source.value, base)]
    const translated = describe(error, path)
    if (!translated) continue
    const problem = source.problem(translated.path, translated.message, { key: translated.key })
    problems.set(`${problem.path}\u0000${problem.message}`, problem)
  }
  return [...problems.values()]
}

interface Described {
  path: DocPath
  message: string
  key?: boolean
}

function describe(error: ErrorObject, path: DocPath): Described | undefined {
  const params = error.params as Record<string, unknown>
  const schema = error.parentSchema as Record<string, unknown> | undefined
  const data = error.data
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty)
      const known = Object.keys((schema?.properties as object | undefined) ?? {})
      const expected = known.length ? `; expected one of: ${known.join(', ')}` : ''
      return {
        path: [...path, key],
        key: true,
        message: `unknown key '${key}'${suggestion(key, known)}${expected}`
      }
    }
    case 'anyOf': {
      // `anyOf` of `required` branches: one of these keys is needed (its branches' own
      // `required` errors are left out below).
      const branches = (schema?.anyOf as Array<{ required?: string[] }> | undefined) ?? []
      const keys = branches.flatMap((branch) => branch.required ?? [])
      if (keys.length && branches.every((branch) => branch.required))
        return { path, key: true, message: `needs at least one of: ${keys.join(', ')}` }
      return { path, message: error.message ?? 'invalid (anyOf)' }
    }
    case 'required':
      if (/\/anyOf\/\d+\/required$/.test(error.schemaPath)) return undefined
      // Point at the key that names the incomplete mapping (`with:`), not its first entry.
      return {
        path,
        key: true,
        message: `missing required key '${String(params.missingProperty)}'`
      }
    case 'dependentRequired':
      return {
        path: [...path, String(params.property)],
        key: true,
        message: `'${String(params.property)}' needs '${String(params.missingProperty)}' beside it`
      }
    case 'type':
      // The whole file is not a mapping: say what it is, never quote it (it may be any file).
      if (path.length === 0)
        return {
          path,
          message: `expected a gates file (a mapping with 'version: 1'), got ${describeKind(data)}`
        }
      return { path, message: `expected ${describeType(params.type)}, got ${describeValue(data)}` }
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      const last = path[path.length - 1]
      if (last === 'check') {
        return {
          path,
          message: `unknown check kind '${String(data)}'${suggestion(String(data), allowed)}; known kinds: ${allowed.join(', ')}`
        }
      }
      return {
        path,
        message: `expected one of ${allowed.join(', ')}, got ${describeValue(data)}${suggestion(String(data), allowed)}`
      }
    }
    case 'const':
      return {
        path,
        message: `expected ${JSON.stringify(params.allowedValue)}, got ${describeValue(data)}`
      }
    case 'pattern': {
      const description = schema?.description ? ` (${String(schema.description)})` : ''
      return {
        path,
        message: `${describeValue(data)} does not match the expected form /${String(params.pattern)}/${description}`
      }
    }
    case 'format':
      return {
        path,
        message:
          params.format === 'regex'
            ? `${describeValue(data)} is not a valid regular expression: ${regexError(String(data))}`
            : `expected a ${describeFormat(String(params.format))}, got ${describeValue(data)}`
      }
    case 'minItems':
      return { path, message: `expected at least ${String(params.limit)} item(s), got none` }
    case 'minLength':
      return { path, message: `expected a non-empty string` }
    case 'minProperties':
      return {
        path,
        message: `expected at least one of: ${Object.keys((schema?.properties as object) ?? {}).join(', ')}`
      }
    case 'maxDuration':
      return {
        path,
        message: `${describeValue(data)} is longer than the longest duration allowed, ${String(schema?.maxDuration)}`
      }
    case 'minimum':
    case 'maximum':
      return {
        path,
        message: `expected a number ${error.message ?? ''}, got ${describeValue(data)}`
      }
    case 'uniqueItems':
      return { path, message: `expected no duplicates: ${error.message ?? ''}` }
    case 'propertyNames':
      return undefined // its inner `pattern` error names the key
    case 'not': {
      // `not: { const: X }`: a value the schema names as wrong, with what is right instead.
      const forbidden = (schema?.not as { const?: unknown } | undefined)?.const
      const description = schema?.description ? ` (${String(schema.description)})` : ''
      return {
        path,
        message: `${describeValue(data)} is not allowed here${forbidden === undefined ? '' : description}`
      }
    }
    default:
      return { path, message: error.message ?? `invalid (${error.keyword})` }
  }
}

function pointerToPath(pointer: string, root: unknown, base: DocPath): Array<string | number> {
  if (!pointer) return []
  let node: unknown = root
  for (const part of base) node = (node as Record<string | number, unknown> | undefined)?.[part]
  const path: Array<string | number> = []
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    const step: string | number = Array.isArray(node) ? Number(part) : part
    path.push(step)
    node = (node as Record<string | number, unknown> | undefined)?.[step]
  }
  return path
}

function describeType(type: unknown): string {
  const names: Record<string, string> = {
    object: 'a mapping',
    array: 'a list',
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'nothing'
  }
  const types = Array.isArray(type) ? type : String(type).split(',')
  return types.map((item: string) => names[item] ?? item).join(' or ')
}

function describeKind(value: unknown): string {
  if (value === null || value === undefined) return 'an empty document'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'string' ? 'text that is not YAML mappings' : `a ${typeof value}`
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  if (typeof value === 'object') return 'a mapping'
  if (typeof value === 'string')
    return `'${value.length > 60 ? `${value.slice(0, 57)}...` : value}'`
  return String(value)
}

function describeFormat(format: string): string {
  return format === 'date' ? 'date (YYYY-MM-DD)' : format === 'uri' ? 'URL' : format
}

function regexError(text: string): string {
  return userPatternProblem(text) ?? 'unknown error'
}
