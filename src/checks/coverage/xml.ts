import { XMLParser } from 'fast-xml-parser'
import type { CoverageReport, FileCoverage, Tally } from './model.js'
import { sumMetrics } from './model.js'

type Node = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  isArray: (name) => ['package', 'class', 'method', 'line', 'file'].includes(name)
})

export function parseXml(text: string): Node {
  return parser.parse(text) as Node
}

const list = (value: unknown): Node[] =>
  Array.isArray(value) ? (value as Node[]) : value ? [value as Node] : []
const num = (value: unknown): number => Number(value ?? 0) || 0

/**
 * Cobertura XML (coverage.py, gcovr, istanbul's cobertura reporter, …): files are `class`
 * elements with a `filename`; lines carry hits, branch lines a "condition-coverage" of "50% (1/2)".
 */
export function parseCobertura(root: Node): CoverageReport {
  const byFile = new Map<
    string,
    { lines: Map<number, number>; branches: Tally; functions: Tally }
  >()
  const packages = list((root.packages as Node | undefined)?.package)
  for (const pkg of packages) {
    for (const cls of list((pkg.classes as Node | undefined)?.class)) {
      const path = String(cls['@filename'] ?? cls['@name'])
      const file = byFile.get(path) ?? {
        lines: new Map(),
        branches: { covered: 0, total: 0 },
        functions: { covered: 0, total: 0 }
      }
      for (const line of list((cls.lines as Node | undefined)?.line)) {
        const number = num(line['@number'])
        file.lines.set(number, Math.max(file.lines.get(number) ?? 0, num(line['@hits'])))
        const condition = /\((\d+)\/(\d+)\)/.exec(String(line['@condition-coverage'] ?? ''))
        if (line['@branch'] === 'true' && condition) {
          file.branches.covered += Number(condition[1])
          file.branches.total += Number(condition[2])
        }
      }
      for (const method of list((cls.methods as Node | undefined)?.method)) {
        file.functions.total++
        if (list((method.lines as Node | undefined)?.line).some((line) => num(line['@hits']) > 0))
          file.functions.covered++
      }
      byFile.set(path, file)
    }
  }
  const files: FileCoverage[] = [...byFile].map(([path, file]) => {
    const hits = [...file.lines.values()]
    return {
      path,
      metrics: {
        lines: { covered: hits.filter((hit) => hit > 0).length, total: hits.length },
        // No branch data means the generator did not measure branches (coverage.py without --branch).
        ...(file.branches.total > 0 && { branches: file.branches }),
        ...(file.functions.total > 0 && { functions: file.functions })
      }
    }
  })
  return { format: 'cobertura', files, total: sumMetrics(files) }
}

/**
 * Clover XML (OpenClover, PHPUnit, istanbul's clover reporter): per-file `metrics` give
 * statements, conditionals (branches) and methods (functions); lines come from `line` elements.
 */
export function parseClover(root: Node): CoverageReport {
  const project = root.project as Node
  const fileNodes = [
    ...list(project.file),
    ...list(project.package).flatMap((pkg) => list(pkg.file))
  ]
  const files: FileCoverage[] = fileNodes.map((file) => {
    const metrics = (file.metrics ?? {}) as Node
    const lineHits = new Map<number, number>()
    for (const line of list(file.line)) {
      if (line['@type'] === 'method') continue
      const hits =
        line['@type'] === 'cond'
          ? num(line['@truecount']) + num(line['@falsecount'])
          : num(line['@count'])
      const number = num(line['@num'])
      lineHits.set(number, Math.max(lineHits.get(number) ?? 0, hits))
    }
    const hits = [...lineHits.values()]
    return {
      path: String(file['@path'] ?? file['@name']),
      metrics: {
        lines: { covered: hits.filter((hit) => hit > 0).length, total: hits.length },
        statements: {
          covered: num(metrics['@coveredstatements']),
          total: num(metrics['@statements'])
        },
        functions: { covered: num(metrics['@coveredmethods']), total: num(metrics['@methods']) },
        // PHPUnit writes conditionals="0": branches were not measured, so they are left out.
        ...(num(metrics['@conditionals']) > 0 && {
          branches: {
            covered: num(metrics['@coveredconditionals']),
            total: num(metrics['@conditionals'])
          }
        })
      }
    }
  })
  return { format: 'clover', files, total: sumMetrics(files) }
}
