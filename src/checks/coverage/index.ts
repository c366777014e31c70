import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { CoverageOptions } from '../../config/generated/options.js'

export type { CoverageOptions }
import { readFile, stat } from 'node:fs/promises'
import { isAbsolute, join, relative } from 'node:path'
import picomatch from 'picomatch'
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { cell } from '../../util/text.js'
import { parseCoverage } from './detect.js'
import { METRICS, percent, sumMetrics } from './model.js'
import type { CoverageReport, FileCoverage, Metric, Metrics } from './model.js'
import { failed } from '../shared/outcome.js'
import { repoPath, resolveFrom, resolveInside } from '../shared/paths.js'

type Thresholds = Partial<Record<Metric, number>>

interface Row {
  scope: string
  metric: Metric
  actual?: number
  detail: string
  ok: boolean
}

/** Coverage totals and per-path totals against thresholds, and against a baseline. */
export async function coverageCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'coverage')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const reportPath = resolveFrom(workspace.cwd, dir, options.report)
  const shown = repoPath(workspace.cwd, reportPath)
  const stale = await staleness(workspace, reportPath, shown)
  if (stale) return failed(stale.title, stale.summary)

  const report = parseCoverage(await readFile(reportPath, 'utf8'))
  if (report.files.length === 0)
    return failed(
      `${shown} covers no files`,
      `The ${report.format} report \`${shown}\` lists no files: the test run measured nothing.`
    )
  const files = report.files.map((file) => ({
    ...file,
    path: normalise(file.path, dir, workspace.cwd)
  }))

  const rows: Row[] = [...judge('all files', report.total, options.thresholds ?? {})]
  for (const rule of options['per-path'] ?? []) {
    const matches = picomatch([rule.paths].flat())
    const excluded = rule.exclude === undefined ? () => false : picomatch([rule.exclude].flat())
    const selected = files.filter((file) => matches(file.path) && !excluded(file.path))
    const scope = [rule.paths].flat().join(', ')
    const { paths: _paths, exclude: _exclude, ...thresholds } = rule
    if (selected.length === 0) {
      rows.push({ scope, metric: 'lines', detail: 'matches no file in the report', ok: false })
      continue
    }
    rows.push(...judge(`${scope} (${selected.length} files)`, sumMetrics(selected), thresholds))
  }
  if (options.baseline)
    rows.push(
      ...(await againstBaseline(workspace, dir, options.baseline, report, options['max-drop'] ?? 0))
    )

  const failing = rows.filter((row) => !row.ok)
  const lines = report.total.lines
    ? `${percent(report.total.lines)}% lines`
    : Object.entries(report.total).map(([metric, tally]) => `${percent(tally!)}% ${metric}`)[0]
  const title = failing.length
    ? `${failing.length === 1 ? '' : `${failing.length} thresholds missed; `}${failing[0]!.scope} ${failing[0]!.metric}: ${failing[0]!.detail}`
    : `Coverage ${lines}: every threshold met`
  const table = [
    '| | Scope | Metric | Coverage | Threshold |',
    '|---|---|---|---:|---|',
    ...rows.map(
      (row) =>
        `| ${row.ok ? '✅' : '❌'} | ${cell(row.scope)} | ${row.metric} | ${row.actual === undefined ? '—' : `${row.actual}%`} | ${cell(row.detail)} |`
    )
  ]
  return {
    conclusion: failing.length ? 'failure' : 'success',
    title,
    summary: [
      `\`${shown}\` (${report.format}, ${files.length} files).`,
      table.join('\n'),
      leastCovered(files, options['least-covered'] ?? 5)
    ].join('\n\n'),
    annotations: []
  }
}

function judge(scope: string, metrics: Metrics, thresholds: Thresholds): Row[] {
  return METRICS.filter((metric) => thresholds[metric] !== undefined).map((metric) => {
    const wanted = thresholds[metric]!
    const tally = metrics[metric]
    if (!tally)
      return {
        scope,
        metric,
        detail: `≥ ${wanted}%, but the report does not measure ${metric}`,
        ok: false
      }
    const actual = percent(tally)
    return {
      scope,
      metric,
      actual,
      detail: `≥ ${wanted}% (${tally.covered}/${tally.total})`,
      ok: actual >= wanted
    }
  })
}

async function againstBaseline(
  workspace: Workspace,
  dir: string,
  baselinePath: string,
  report: CoverageReport,
  maxDrop: number
): Promise<Row[]> {
  const path = resolveFrom(workspace.cwd, dir, baselinePath)
  let baseline: CoverageReport
  try {
    baseline = parseCoverage(await readFile(path, 'utf8'))
  } catch (error) {
    return [
      {
        scope: `baseline ${baselinePath}`,
        metric: 'lines',
        detail: `cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        ok: false
      }
    ]
  }
  return METRICS.filter((metric) => baseline.total[metric] && report.total[metric]).map(
    (metric) => {
      const before = percent(baseline.total[metric]!)
      const now = percent(report.total[metric]!)
      const drop = Math.round((before - now) * 100) / 100
      return {
        scope: 'against baseline',
        metric,
        actual: now,
        detail: `was ${before}%${drop > 0 ? `, down ${drop} points` : ''} (max drop ${maxDrop})`,
        ok: drop <= maxDrop
      }
    }
  )
}

function leastCovered(files: FileCoverage[], count: number): string {
  const ranked = files
    .filter((file) => file.metrics.lines && file.metrics.lines.total > 0)
    .sort((a, b) => percent(a.metrics.lines!) - percent(b.metrics.lines!))
    .slice(0, count)
  if (!ranked.length || count === 0) return ''
  return [
    'Least covered files (lines):',
    '',
    ...ranked.map(
      (file) =>
        `- \`${file.path}\`: ${percent(file.metrics.lines!)}% (${file.metrics.lines!.covered}/${file.metrics.lines!.total})`
    )
  ].join('\n')
}

/**
 * A report proves something about this commit only if this run wrote it: it must exist, be
 * newer than the commit, and not be a file committed to git.
 */
async function staleness(
  workspace: Workspace,
  path: string,
  shown: string
): Promise<{ title: string; summary: string } | undefined> {
  let modified: number
  try {
    modified = (await stat(path)).mtimeMs
  } catch {
    return {
      title: `No coverage report at ${shown}`,
      summary: `\`${shown}\` does not exist: run the tests with coverage before this gate (e.g. \`jest --coverage\`).`
    }
  }
  const git = (args: string[]) =>
    workspace.exec(['git', ...args], { cwd: workspace.cwd, signal: workspace.signal })
  const head = await git(['log', '-1', '--format=%ct', 'HEAD'])
  if (head.code !== 0)
    return {
      title: `Cannot tell whether ${shown} is current`,
      summary: `git could not name the commit's time: ${head.stderr.trim()}`
    }
  const tracked = await git(['ls-files', '--error-unmatch', '--', path])
  if (tracked.code === 0)
    return {
      title: `${shown} is committed to git`,
      summary: `\`${shown}\` is a tracked file, not a report this run produced: it proves nothing about this commit.`
    }
  const committedAt = Number(head.stdout.trim()) * 1000
  if (modified < committedAt) {
    return {
      title: `${shown} is older than the commit`,
      summary: `\`${shown}\` was written ${new Date(modified).toISOString()}, before the commit (${new Date(committedAt).toISOString()}): regenerate it.`
    }
  }
  return undefined
}

/** Report paths (absolute, or relative to where the tests ran) as repository paths. */
function normalise(path: string, dir: string, root: string): string {
  return relative(root, isAbsolute(path) ? path : join(dir, path))
    .split('\\')
    .join('/')
}

/** The `coverage` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'coverage', cpuBound: true, run: coverageCheck }
