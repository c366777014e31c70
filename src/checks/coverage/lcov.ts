import type { CoverageReport, FileCoverage, Tally } from './model.js'
import { sumMetrics } from './model.js'

/**
 * Parses lcov tracefiles (SF/LF/LH/FNF/FNH/BRF/BRH/DA records). Scans the text with indexOf
 * rather than splitting it, so a 50 MB report does not become millions of strings at once.
 * LF/LH win when present; otherwise DA lines are counted.
 */
export function parseLcov(text: string): CoverageReport {
  const files: FileCoverage[] = []
  let current:
    | {
        path: string
        lf?: number
        lh?: number
        fnf?: number
        fnh?: number
        brf?: number
        brh?: number
        daTotal: number
        daHit: number
      }
    | undefined
  let start = 0
  while (start < text.length) {
    let end = text.indexOf('\n', start)
    if (end === -1) end = text.length
    const line =
      text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end)
    start = end + 1
    const colon = line.indexOf(':')
    const tag = colon === -1 ? line : line.slice(0, colon)
    const value = colon === -1 ? '' : line.slice(colon + 1)
    if (tag === 'SF') current = { path: value, daTotal: 0, daHit: 0 }
    else if (!current) continue
    else if (tag === 'DA') {
      current.daTotal++
      const comma = value.indexOf(',')
      if (
        Number(
          value.slice(
            comma + 1,
            value.indexOf(',', comma + 1) === -1 ? undefined : value.indexOf(',', comma + 1)
          )
        ) > 0
      )
        current.daHit++
    } else if (tag === 'LF') current.lf = Number(value)
    else if (tag === 'LH') current.lh = Number(value)
    else if (tag === 'FNF') current.fnf = Number(value)
    else if (tag === 'FNH') current.fnh = Number(value)
    else if (tag === 'BRF') current.brf = Number(value)
    else if (tag === 'BRH') current.brh = Number(value)
    else if (tag === 'end_of_record') {
      const lines: Tally =
        current.lf !== undefined
          ? { covered: current.lh ?? 0, total: current.lf }
          : { covered: current.daHit, total: current.daTotal }
      files.push({
        path: current.path,
        metrics: {
          lines,
          ...(current.fnf !== undefined && {
            functions: { covered: current.fnh ?? 0, total: current.fnf }
          }),
          ...(current.brf !== undefined && {
            branches: { covered: current.brh ?? 0, total: current.brf }
          })
        }
      })
      current = undefined
    }
  }
  return { format: 'lcov', files, total: sumMetrics(files) }
}
