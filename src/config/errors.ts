/** One mistake in a gates file, located where the maintainer has to fix it. */
export interface ConfigProblem {
  file: string
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number
  col: number
  /** Where inside the document, e.g. `gates[2].with.run`; empty for the root. */
  path: string
  message: string
}

/**
 * A user's mistake in configuration (not a gate failure, not a bug). Carries every problem found
 * so the maintainer fixes them in one pass. Entry points turn it into exit code 2.
 */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[]

  constructor(problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'))
    this.name = 'ConfigError'
    this.problems = [...problems].sort(compareProblems)
  }

  static single(file: string, message: string, line = 0, col = 0, path = ''): ConfigError {
    return new ConfigError([{ file, line, col, path, message }])
  }
}

/**
 * How to start, when the gates file itself is missing (not a file it extends): the first thing a
 * new user meets.
 */
export function missingFileHint(problems: ConfigProblem[], configFile: string): string | undefined {
  const missing = problems.some(
    (problem) =>
      problem.file === configFile && problem.message === 'cannot read the gates file: no such file'
  )
  return missing
    ? `No gates file at ${configFile}. Start one with \`npx release-gates init [CHECKLIST.md]\`: it reads your checklist and repository and writes ${configFile}.`
    : undefined
}

export function formatProblem(problem: ConfigProblem): string {
  const where = problem.line > 0 ? `${problem.file}:${problem.line}:${problem.col}` : problem.file
  const inside = problem.path ? ` ${problem.path}:` : ''
  return `${where}:${inside} ${problem.message}`
}

function compareProblems(a: ConfigProblem, b: ConfigProblem): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col
}

/** `gates[2].with.run` from ['gates', 2, 'with', 'run']. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else if (/^[A-Za-z_][\w-]*$/.test(part)) text += text ? `.${part}` : part
    else text += `[${JSON.stringify(part)}]`
  }
  return text
}
