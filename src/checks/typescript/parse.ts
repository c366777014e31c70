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
/**
 * Whether a code is the parser's (TS1xxx: `';' expected`, an unterminated literal). tsc reports
 * type errors only for a program without syntax errors, so a run with only these checked no type.
 * A few TS1xxx codes come from the checker (module and decorator rules): those are not syntax.
 */
export function isSyntaxCode(code: number): boolean {
  return code >= 1000 && code < 2000 && !CHECKER_TS1_CODES.has(code)
}

const CHECKER_TS1_CODES: ReadonlySet<number> = new Set([
  1192, 1196, 1202, 1203, 1205, 1208, 1218, 1219, 1238, 1239, 1240, 1241, 1259, 1270, 1271, 1272,
  1320, 1323, 1324, 1343, 1361, 1362, 1371, 1375, 1378, 1432, 1479, 1484
])

export const NO_INPUT_CODES: ReadonlySet<number> = new Set([
  18002, // The 'files' list in config file is empty.
  18003 // No inputs were found in config file.
])
