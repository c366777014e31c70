import { isAbsolute, join, relative } from 'node:path'
import type { Annotation, AnnotationLevel } from '../../model/types.js'
import { compileUserPattern } from '../../util/user-pattern.js'

/**
 * Turns tool output into annotations with a regex whose named groups are `file`, `line`,
 * `column`, `severity` and `message` (only `message` is required; a match without `file`
 * and `line` cannot be placed on a file and is skipped).
 * Paths are made relative to the repository root from the directory the tool ran in.
 */
export function matchProblems(
  output: string,
  pattern: string,
  dirs: { root: string; ranIn: string }
): Annotation[] {
  const regex = compileUserPattern(pattern)
  const annotations: Annotation[] = []
  for (const line of output.split(/\r?\n/)) {
    const groups = regex.exec(line)?.groups
    if (!groups?.file || !groups.line || !groups.message) continue
    const lineNumber = Number(groups.line)
    if (!Number.isInteger(lineNumber) || lineNumber < 1) continue
    const absolute = isAbsolute(groups.file) ? groups.file : join(dirs.ranIn, groups.file)
    const column = Number(groups.column)
    annotations.push({
      path: relative(dirs.root, absolute).split('\\').join('/'),
      line: lineNumber,
      ...(Number.isInteger(column) && column > 0 && { column }),
      level: severityLevel(groups.severity),
      message: groups.message.trim()
    })
  }
  return annotations
}

function severityLevel(severity: string | undefined): AnnotationLevel {
  const word = severity?.toLowerCase() ?? ''
  if (/^(warn|warning)$/.test(word)) return 'warning'
  if (/^(info|note|notice|hint)$/.test(word)) return 'notice'
  return 'failure'
}
