import { parseIstanbulFinal, parseIstanbulSummary } from './istanbul.js'
import { parseLcov } from './lcov.js'
import type { CoverageReport } from './model.js'
import { parseClover, parseCobertura, parseXml } from './xml.js'

/**
 * Reads a coverage report of any supported format, recognised by its content (not its name):
 * istanbul JSON (summary or final), lcov, Cobertura XML, Clover XML.
 */
export function parseCoverage(text: string): CoverageReport {
  const head = text.trimStart().slice(0, 200)
  if (head.startsWith('{')) {
    const data = JSON.parse(text) as Record<string, Record<string, unknown>>
    if (data.total && typeof data.total === 'object' && 'lines' in data.total)
      return parseIstanbulSummary(data as never)
    const first = Object.values(data)[0]
    if (first && 'statementMap' in first) return parseIstanbulFinal(data as never)
    if (Object.keys(data).length === 0) return { format: 'istanbul-final', files: [], total: {} }
    throw new Error('JSON that is neither an istanbul coverage-summary nor a coverage-final report')
  }
  if (head.startsWith('<')) {
    const root = parseXml(text).coverage as Record<string, unknown> | undefined
    if (!root) throw new Error('XML without a <coverage> root: neither Cobertura nor Clover')
    if ('project' in root) return parseClover(root)
    if ('packages' in root || '@line-rate' in root) return parseCobertura(root)
    throw new Error('a <coverage> document that is neither Cobertura nor Clover')
  }
  if (/^(TN|SF):/m.test(head)) return parseLcov(text)
  throw new Error('not a coverage report: expected istanbul JSON, lcov, Cobertura or Clover XML')
}
