import { isAbsolute } from 'node:path'
import picomatch from 'picomatch'
import type { OptionCheck, OptionProblem } from '../engine/run-plan.js'
import { parseSecretRules } from '../secrets/rules.js'
import { namedGroups } from '../util/user-pattern.js'
import { resolveInside } from './shared/paths.js'

type Options = Record<string, unknown>
type Path = Array<string | number>

/**
 * Why a glob cannot do what its author meant: an unclosed bracket, brace or parenthesis (which
 * picomatch would otherwise read literally, matching nothing), or a pattern that leaves the
 * repository.
 */
export function globProblem(pattern: string, fromRoot = true): string | undefined {
  if (isAbsolute(pattern) || (fromRoot && /(^|\/)\.\.(\/|$)/.test(pattern)))
    return `'${pattern}' leads out of the repository: globs are relative to its root`
  try {
    picomatch(pattern, { strictBrackets: true })
    return undefined
  } catch (error) {
    return `'${pattern}' is not a valid glob: ${(error as Error).message}`
  }
}

/** Why a URL template cannot be requested (`${NAME}` stands for any value). */
export function urlProblem(template: string): string | undefined {
  let url: URL
  try {
    // `${APP_URL}/health`: a leading variable stands for the scheme and host.
    const sample = template
      .replace(/^\$\{[A-Za-z_][A-Za-z0-9_]*\}/, 'https://variable.invalid')
      .replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, 'x')
    url = new URL(sample)
  } catch {
    return `'${template}' is not a valid URL (expected http://… or https://…)`
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `'${template}' is not an http:// or https:// URL`
  return undefined
}

/** Globs at `path` in `options` (a string or a list of strings), each checked. */
function globsAt(options: Options, path: Path, fromRoot = true): OptionProblem[] {
  const value = valueAt(options, path)
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value : []
  return list.flatMap((pattern, index) => {
    if (typeof pattern !== 'string') return []
    const problem = globProblem(pattern, fromRoot)
    return problem
      ? [{ path: typeof value === 'string' ? path : [...path, index], message: problem }]
      : []
  })
}

function valueAt(options: Options, path: Path): unknown {
  let node: unknown = options
  for (const part of path) node = (node as Record<string | number, unknown> | undefined)?.[part]
  return node
}

function listAt(options: Options, key: string): unknown[] {
  const value = options[key]
  return Array.isArray(value) ? value : []
}

const filesOptions: OptionCheck = (options) => [
  ...globsAt(options, ['must-exist']),
  ...globsAt(options, ['must-not-exist']),
  ...(['must-match', 'must-not-match'] as const).flatMap((key) =>
    listAt(options, key).flatMap((_, index) => [
      ...globsAt(options, [key, index, 'paths']),
      ...globsAt(options, [key, index, 'exclude'])
    ])
  )
]

const commandOptions: OptionCheck = (options) => {
  const matcher = options['problem-matcher']
  if (typeof matcher !== 'string') return []
  const groups = namedGroups(matcher)
  const missing = ['file', 'line', 'message'].filter((name) => !groups.includes(name))
  if (!missing.length) return []
  return [
    {
      path: ['problem-matcher'],
      message: `the problem matcher has no named group${missing.length > 1 ? 's' : ''} ${missing.map((name) => `(?<${name}>…)`).join(', ')}: without file, line and message no output line can become an annotation`
    }
  ]
}

const httpOptions: OptionCheck = (options) => {
  const urls = options.url
  const list = typeof urls === 'string' ? [urls] : Array.isArray(urls) ? urls : []
  const problems = list.flatMap((url, index) => {
    const problem = typeof url === 'string' ? urlProblem(url) : undefined
    return problem
      ? [{ path: typeof urls === 'string' ? ['url'] : ['url', index], message: problem }]
      : []
  })
  const redirect = options['https-redirect']
  if (typeof redirect === 'string') {
    const problem = urlProblem(redirect)
    if (problem) problems.push({ path: ['https-redirect'], message: problem })
  }
  return problems
}

const secretsOptions: OptionCheck = async (options, context) => {
  const problems = [...globsAt(options, ['paths']), ...globsAt(options, ['exclude'])]
  const rulesFile = options['rules-file']
  if (typeof rulesFile === 'string') {
    try {
      parseSecretRules(await context.read(resolveInside(context.cwd, rulesFile)), rulesFile)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      problems.push({
        path: ['rules-file'],
        message: code
          ? `the rules file ${rulesFile} cannot be read: ${code === 'ENOENT' ? 'no such file' : code}`
          : (error as Error).message
      })
    }
  }
  return problems
}

const coverageOptions: OptionCheck = (options) =>
  listAt(options, 'per-path').flatMap((_, index) => [
    ...globsAt(options, ['per-path', index, 'paths'], false),
    ...globsAt(options, ['per-path', index, 'exclude'], false)
  ])

/** What each kind checks of its options beyond the schema, before anything runs. */
export const OPTION_CHECKS: Readonly<Record<string, OptionCheck>> = {
  command: commandOptions,
  coverage: coverageOptions,
  // These are relative to the gate's `cwd`, which may be a package: `..` can stay inside.
  eslint: (options) => globsAt(options, ['patterns'], false),
  files: filesOptions,
  http: httpOptions,
  'osv-audit': (options) => globsAt(options, ['lockfiles'], false),
  licenses: (options) => [
    ...globsAt(options, ['lockfiles'], false),
    ...(options.allow === undefined && options.deny === undefined
      ? [{ path: [], message: 'give allow, deny or both: the licence policy to judge by' }]
      : [])
  ],
  outdated: (options) => [
    ...globsAt(options, ['lockfiles'], false),
    // Without a limit the gate would judge nothing.
    ...(options['max-major-behind'] === undefined && options['max-days-behind'] === undefined
      ? [
          {
            path: [],
            message: 'give max-major-behind, max-days-behind or both: the limits to judge by'
          }
        ]
      : [])
  ],
  secrets: secretsOptions,
  tests: (options) => globsAt(options, ['junit'], false),
  typescript: (options) => globsAt(options, ['projects'], false)
}
