import { isAbsolute, relative } from 'node:path'

export interface EslintProblem {
  ruleId: string | null
  severity: 'error' | 'warning'
  message: string
  line: number
  column: number
  endLine?: number
  endColumn?: number
  /** A parse error: ESLint could not read the file at all. */
  fatal: boolean
}

export interface EslintFile {
  /** Relative to `root`, forward slashes. */
  path: string
  problems: EslintProblem[]
}

export interface EslintResult {
  files: EslintFile[]
  errors: number
  warnings: number
  fatal: number
  /** Files ESLint looked at, with or without problems. */
  filesLinted: number
}

/**
 * Parses ESLint's JSON formatter output (`eslint -f json`), for flat and legacy configs alike.
 * Fatal parse errors count as errors. Throws when the text is not that format.
 */
export function parseEslintJson(text: string, root: string): EslintResult {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new Error('ESLint did not print JSON')
  }
  if (!Array.isArray(data)) throw new Error('ESLint JSON is not a list of file results')
  const result: EslintResult = {
    files: [],
    errors: 0,
    warnings: 0,
    fatal: 0,
    filesLinted: data.length
  }
  for (const entry of data as Array<{ filePath?: unknown; messages?: unknown }>) {
    if (typeof entry?.filePath !== 'string' || !Array.isArray(entry.messages))
      throw new Error('ESLint JSON entry lacks filePath or messages')
    const problems = (entry.messages as Array<Record<string, unknown>>).map((message) => ({
      ruleId: typeof message.ruleId === 'string' ? message.ruleId : null,
      severity: message.severity === 2 || message.fatal ? ('error' as const) : ('warning' as const),
      message: String(message.message ?? ''),
      line: Number(message.line ?? 1) || 1,
      column: Number(message.column ?? 1) || 1,
      ...(typeof message.endLine === 'number' && { endLine: message.endLine }),
      ...(typeof message.endColumn === 'number' && { endColumn: message.endColumn }),
      fatal: message.fatal === true
    }))
    for (const problem of problems) {
      if (problem.severity === 'error') result.errors++
      else result.warnings++
      if (problem.fatal) result.fatal++
    }
    if (problems.length) {
      const path = isAbsolute(entry.filePath) ? relative(root, entry.filePath) : entry.filePath
      result.files.push({ path: path.split('\\').join('/'), problems })
    }
  }
  return result
}
