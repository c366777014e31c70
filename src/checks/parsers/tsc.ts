export interface TscDiagnostic {
  /** As tsc printed it: relative to the directory tsc ran in. Absent for global errors (TS18003). */
  file?: string
  line?: number
  column?: number
  category: 'error' | 'warning' | 'message'
  code: number
  /** Including indented continuation lines ("Types of property 'b' are incompatible."). */
  message: string
}

const HEAD = /^(?:(.+?)\((\d+),(\d+)\): )?(error|warning|message) TS(\d+): (.*)$/

/**
 * Parses `tsc --pretty false` output. Each diagnostic starts a line; its elaboration follows on
 * lines indented by two spaces per level. Anything else (a summary line, a crash) is ignored.
 */
export function parseTscOutput(text: string): TscDiagnostic[] {
  const diagnostics: TscDiagnostic[] = []
  for (const line of text.split(/\r?\n/)) {
    const head = HEAD.exec(line)
    if (head) {
      diagnostics.push({
        ...(head[1] !== undefined && {
          file: head[1],
          line: Number(head[2]),
          column: Number(head[3])
        }),
        category: head[4] as TscDiagnostic['category'],
        code: Number(head[5]),
        message: head[6]!
      })
    } else if (/^\s+\S/.test(line) && diagnostics.length) {
      diagnostics[diagnostics.length - 1]!.message += `\n${line.trimEnd()}`
    }
  }
  return diagnostics
}

/** Diagnostics that mean tsc had nothing to check: the project must fail, not pass. */
export const NO_INPUT_CODES: ReadonlySet<number> = new Set([
  18002, // The 'files' list in config file is empty.
  18003 // No inputs were found in config file.
])
