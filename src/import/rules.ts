import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import { catalogDir } from '../config/catalog.js'

/** How one value is read from an item's text into the gate's `with`. */
export interface ParamSource {
  key: string
  regex?: string
  as?:
    | 'string'
    | 'lower'
    | 'number'
    | 'list'
    | 'days'
    | 'duration'
    | 'zero'
    | 'env'
    | 'env-equals'
    | 'site-path'
    | 'python-linter'
  /** For `as: env`: a regex whose `value` group is every variable's minimum length. */
  'min-length'?: string
  placeholder?: unknown
  required?: boolean
}

export interface ImportRuleSource {
  id: string
  check: string
  when: string
  unless?: string
  with?: Record<string, unknown>
  params?: ParamSource[]
  examples?: {
    match?: Array<{ text: string; with: Record<string, unknown> }>
    'no-match'?: string[]
  }
}

export interface ImportRule extends ImportRuleSource {
  whenPattern: RegExp
  unlessPattern?: RegExp
}

/** What a rule made of one item: the check, its options, the words that chose it, what is left to fill. */
export interface Wiring {
  rule: string
  check: string
  with: Record<string, unknown>
  /** The words of the item that chose the check. */
  matched: string
  /** Dotted keys of `with` that hold a placeholder: the gate stays disabled until they are filled. */
  placeholders: string[]
}

/** The marker a placeholder carries: `validate` lists the gates that still hold one. */
export const PLACEHOLDER_MARK = /FILL[-_]ME/

export function builtInImportRulesPath(): string {
  return join(catalogDir(), 'import-rules.yml')
}

export function loadImportRules(path: string = builtInImportRulesPath()): ImportRule[] {
  const { rules } = parse(readFileSync(path, 'utf8')) as { rules: ImportRuleSource[] }
  return rules.map((rule) => ({
    ...rule,
    whenPattern: new RegExp(rule.when, 'i'),
    ...(rule.unless && { unlessPattern: new RegExp(rule.unless, 'i') })
  }))
}

/** The first rule that takes the item, with the options read from its text; undefined: manual. */
export function wireItem(text: string, rules: ImportRule[]): Wiring | undefined {
  for (const rule of rules) {
    const match = rule.whenPattern.exec(text)
    if (!match || rule.unlessPattern?.test(text)) continue
    const options = structuredClone(rule.with ?? {})
    const placeholders: string[] = []
    let applies = true
    for (const param of rule.params ?? []) {
      const value = readParam(text, param)
      if (value !== undefined) {
        setPath(options, param.key, value)
        // A value built on a placeholder (`https://FILL-ME.invalid/robots.txt`) still needs one.
        if (PLACEHOLDER_MARK.test(JSON.stringify(value))) placeholders.push(param.key)
      } else if (param.placeholder !== undefined) {
        setPath(
          options,
          param.key,
          param.as === 'env' ? envPlaceholder(text, param) : structuredClone(param.placeholder)
        )
        placeholders.push(param.key)
      } else if (param.required) applies = false
    }
    if (!applies) continue
    return {
      rule: rule.id,
      check: rule.check,
      with: options,
      matched: match[0].trim(),
      placeholders
    }
  }
  return undefined
}

function firstValue(match: RegExpExecArray | null): string | undefined {
  if (!match?.groups) return undefined
  return Object.entries(match.groups).find(
    ([name, value]) => name.startsWith('value') && value !== undefined
  )?.[1]
}

function readParam(text: string, param: ParamSource): unknown {
  if (param.as === 'env') {
    const names = variableNames(text)
    if (!names.length) return undefined
    const minimum = minLength(text, param)
    return names.map((name) => (minimum === undefined ? name : { name, 'min-length': minimum }))
  }
  if (!param.regex) return undefined
  if (param.as === 'env-equals') {
    const match = new RegExp(param.regex, 'i').exec(text)
    return match?.groups?.name
      ? [{ name: match.groups.name, equals: match.groups.value }]
      : undefined
  }
  if (param.as === 'list') {
    const values = [...text.matchAll(new RegExp(param.regex, 'gi'))]
      .map((match) => firstValue(match as RegExpExecArray))
      .filter((value): value is string => Boolean(value))
    return values.length ? [...new Set(values)] : undefined
  }
  const value = firstValue(new RegExp(param.regex, 'i').exec(text))
  if (value === undefined) return undefined
  switch (param.as) {
    case 'number':
      return Number(value)
    case 'lower':
      return value.toLowerCase()
    case 'zero':
      return 0
    case 'duration':
      return value.replace(/\s+/g, '')
    case 'python-linter':
      // The first linter the item names, over the whole repository.
      return PYTHON_LINTERS[value.toLowerCase() as keyof typeof PYTHON_LINTERS]('.')
    case 'site-path':
      // A file at the site's root (`robots.txt`): the site is for the maintainer to fill.
      return `https://FILL-ME.invalid/${value}`
    case 'days': {
      const [, count, unit] = /(\d+)\s*(month|day)/i.exec(value) ?? []
      return count ? Number(count) * (/month/i.test(unit!) ? 30 : 1) : undefined
    }
    default:
      return value
  }
}

/** A Python linter's command over `targets`, in a one-line-per-problem format. */
export const PYTHON_LINTERS: Record<'flake8' | 'ruff' | 'pylint', (targets: string) => string> = {
  flake8: (targets) => `python3 -m flake8 ${targets}`,
  ruff: (targets) => `ruff check --output-format=concise ${targets}`,
  pylint: (targets) => `python3 -m pylint --output-format=parseable --score=n ${targets}`
}

/** Upper-case names with an underscore (`JWT_SECRET`), or any upper-case name in backticks. */
function variableNames(text: string): string[] {
  const names = [...text.matchAll(/`([A-Z][A-Z0-9_]*)`|\b([A-Z][A-Z0-9]*_[A-Z0-9_]+)\b/g)].map(
    (match) => match[1] ?? match[2]!
  )
  return [...new Set(names)].filter((name) => !PLACEHOLDER_MARK.test(name))
}

function minLength(text: string, param: ParamSource): number | undefined {
  if (!param['min-length']) return undefined
  const value = firstValue(new RegExp(param['min-length'], 'i').exec(text))
  return value === undefined ? undefined : Number(value)
}

function envPlaceholder(text: string, param: ParamSource): unknown {
  const minimum = minLength(text, param)
  return ((param.placeholder as string[] | undefined) ?? ['FILL_ME']).map((name) =>
    minimum === undefined ? name : { name, 'min-length': minimum }
  )
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let node = target
  for (const key of keys.slice(0, -1)) {
    if (!node[key] || typeof node[key] !== 'object') node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[keys[keys.length - 1]!] = value
}
