import { posix } from 'node:path'
import type { GateResult, Report } from '../model/report.js'
import type { Annotation, AnnotationLevel, Conclusion } from '../model/types.js'
import { truncateUtf8 } from '../util/utf8.js'
import {
  checkRunConclusion,
  overallConclusion,
  overallTitle,
  worstConclusion
} from './conclusion.js'
import { gateDetails, gateFacts, gatesTable, waiversSection } from './markdown.js'

/** GitHub's limit for a check run's output.summary and output.text, in bytes. */
export const OUTPUT_LIMIT = 65_535
/** GitHub accepts at most this many annotations per create or update request. */
export const ANNOTATIONS_PER_REQUEST = 50
const TITLE_LIMIT = 1000

export interface CheckRunOptions {
  /** `<prefix>` names the overall check; `<prefix> / <gate name>` each gate's. */
  prefix: string
  /** More gates than this: one check run per section instead of per gate. */
  maxCheckRuns: number
  /** Annotations kept per check run, most severe first. */
  maxAnnotations: number
  /** Prepended to annotation paths: the working directory relative to the repository root. */
  pathPrefix?: string
}

/** The API's annotation shape. */
export interface CheckRunAnnotation {
  path: string
  start_line: number
  end_line: number
  start_column?: number
  end_column?: number
  annotation_level: AnnotationLevel
  message: string
  title?: string
}

/** One check run to write: everything but the sha and the transport. */
export interface PlannedCheckRun {
  name: string
  conclusion: Conclusion
  startedAt: string
  completedAt: string
  title: string
  summary: string
  text?: string
  /** Already sorted and capped; sent 50 per request. */
  annotations: CheckRunAnnotation[]
  /** The gates it reports. */
  gateIds: string[]
}

export interface CheckRunPlan {
  runs: PlannedCheckRun[]
  /** Gates were grouped one check run per section because they exceeded maxCheckRuns. */
  grouped: boolean
}

/**
 * Plans the check runs for a report: the overall one first (the name to require in branch
 * protection), then one per gate — or, when the plan has more gates than `maxCheckRuns`, one
 * per section so a big checklist stays inside GitHub's write budget.
 */
export function planCheckRuns(report: Report, options: CheckRunOptions): CheckRunPlan {
  // A shard groups as its whole plan does, so that every shard and the merge agree.
  const grouped = (report.shard?.gates.length ?? report.gates.length) > options.maxCheckRuns
  const runs = [overallRun(report, options)]
  if (!grouped) runs.push(...report.gates.map((gate) => gateRun(gate, options)))
  else
    runs.push(
      ...sectionGroups(report.gates, options.maxCheckRuns).map(([section, gates]) =>
        groupRun(section, gates, options)
      )
    )
  return { runs, grouped }
}

/** The overall check run: every gate a row, the unmet ones' details below. */
export /**
 * The runs this report writes, the overall one last. A shard writes its gates' runs only (none
 * when the plan is grouped by section: a section spans shards); the merge of the shards writes
 * the overall one (and the sections, when grouped). Any other report writes them all.
 */
function checkRunsToWrite(plan: CheckRunPlan, report: Report): PlannedCheckRun[] {
  const [overall, ...rest] = plan.runs
  if (report.shard) return plan.grouped ? [] : rest
  if (report.mergedShards && !plan.grouped) return [overall!]
  return [...rest, overall!]
}

function overallRun(report: Report, options: CheckRunOptions): PlannedCheckRun {
  const unmet = report.gates.filter((gate) => !gate.met)
  const waivers = waiversSection(report)
  return {
    name: options.prefix,
    conclusion: overallConclusion(report),
    startedAt: report.startedAt,
    completedAt: new Date(Date.parse(report.startedAt) + report.durationMs).toISOString(),
    title: clipTitle(overallTitle(report)),
    summary: fitOutput(
      [
        `Every gate of \`${report.file}\`${report.environment ? ` for **${report.environment}**` : ''}, stage \`${report.stage}\`.`,
        gatesTable(report.gates),
        waivers
      ]
        .filter(Boolean)
        .join('\n\n')
    ),
    ...(unmet.length && {
      text: fitOutput(unmet.map((gate) => gateDetails(gate)).join('\n\n---\n\n'))
    }),
    annotations: [],
    gateIds: report.gates.map((gate) => gate.id)
  }
}

/** One gate's check run, as planCheckRuns plans it and a stream writes it. */
export function gateRun(gate: GateResult, options: CheckRunOptions): PlannedCheckRun {
  const { annotations, dropped } = selectAnnotations(gate.annotations, options)
  const droppedNote = dropped
    ? `\n\n> ${dropped} more annotation(s) are not attached (max-annotations: ${options.maxAnnotations}); all are in the JSON report.`
    : ''
  return {
    name: `${options.prefix} / ${gate.name}`,
    conclusion: checkRunConclusion(gate),
    startedAt: gate.startedAt,
    completedAt: gate.completedAt,
    title: clipTitle(gate.title),
    summary: fitOutput(`${gateFacts(gate)}\n\n${gate.summary.trim()}${droppedNote}`),
    ...(gate.annotations.length && { text: fitOutput(annotationList(gate.annotations)) }),
    annotations,
    gateIds: [gate.id]
  }
}

function groupRun(section: string, gates: GateResult[], options: CheckRunOptions): PlannedCheckRun {
  const { annotations, dropped } = selectAnnotations(
    gates.flatMap((gate) => gate.annotations),
    options
  )
  const unmet = gates.filter((gate) => !gate.met)
  const required = gates.filter((gate) => gate.required && !gate.met).length
  const droppedNote = dropped
    ? `\n\n> ${dropped} more annotation(s) are not attached (max-annotations: ${options.maxAnnotations}); all are in the JSON report.`
    : ''
  return {
    name: `${options.prefix} / ${section}`,
    conclusion: worstConclusion(gates.map(checkRunConclusion)),
    startedAt: gates.map((gate) => gate.startedAt).sort()[0]!,
    completedAt: gates
      .map((gate) => gate.completedAt)
      .sort()
      .at(-1)!,
    title: clipTitle(
      required
        ? `${required} of ${gates.length} required items unmet in ${section}`
        : `${gates.length - unmet.length} of ${gates.length} items met in ${section}`
    ),
    summary: fitOutput(`${gatesTable(gates)}${droppedNote}`),
    ...(unmet.length && {
      text: fitOutput(unmet.map((gate) => gateDetails(gate)).join('\n\n---\n\n'))
    }),
    annotations,
    gateIds: gates.map((gate) => gate.id)
  }
}

/** Sections in plan order; when there are more than `limit`, the last group takes the rest. */
function sectionGroups(gates: GateResult[], limit: number): Array<[string, GateResult[]]> {
  const bySection = new Map<string, GateResult[]>()
  for (const gate of gates) {
    const section = gate.section ?? 'Other items'
    bySection.set(section, [...(bySection.get(section) ?? []), gate])
  }
  const groups = [...bySection]
  // One check run is the overall one.
  const room = Math.max(1, limit - 1)
  if (groups.length <= room) return groups
  const kept = groups.slice(0, room - 1)
  const rest = groups.slice(room - 1)
  return [...kept, [`${rest.length} more sections`, rest.flatMap(([, items]) => items)]]
}

const LEVEL_ORDER: Record<AnnotationLevel, number> = { failure: 0, warning: 1, notice: 2 }

/** Most severe first (stable within a level), capped, in the API's shape. */
function selectAnnotations(
  annotations: Annotation[],
  options: CheckRunOptions
): { annotations: CheckRunAnnotation[]; dropped: number } {
  const sorted = [...annotations].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level])
  const kept = sorted.slice(0, options.maxAnnotations)
  return {
    annotations: kept.map((annotation) => toApiAnnotation(annotation, options.pathPrefix)),
    dropped: sorted.length - kept.length
  }
}

export function toApiAnnotation(annotation: Annotation, pathPrefix = ''): CheckRunAnnotation {
  const endLine = Math.max(annotation.line, annotation.endLine ?? annotation.line)
  // Columns are only allowed when the annotation stays on one line.
  const columns =
    annotation.column !== undefined && endLine === annotation.line
      ? { start_column: annotation.column, end_column: annotation.column }
      : {}
  return {
    path: pathPrefix ? posix.join(pathPrefix, annotation.path) : annotation.path,
    start_line: annotation.line,
    end_line: endLine,
    ...columns,
    annotation_level: annotation.level,
    message: annotation.message,
    ...(annotation.title && { title: annotation.title })
  }
}

function annotationList(annotations: Annotation[]): string {
  const lines = annotations.map((annotation) => {
    const column = annotation.column ? `:${annotation.column}` : ''
    return `- \`${annotation.path}:${annotation.line}${column}\` **${annotation.level}** ${annotation.message.replace(/\r?\n/g, ' ')}`
  })
  return [`### All ${annotations.length} annotation(s)`, '', ...lines].join('\n')
}

/** Fits a summary or text into GitHub's byte limit, saying so when it was cut. */
export function fitOutput(markdown: string): string {
  return truncateUtf8(
    markdown,
    OUTPUT_LIMIT,
    (dropped) =>
      `\n\n> ✂️ Cut to GitHub's 65,535-byte limit: ${dropped} bytes left out. The full text is in the JSON report.`
  )
}

function clipTitle(title: string): string {
  return title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 1)}…` : title
}

/** The annotation batches after the first, each sent as an update. */
export function annotationBatches(annotations: CheckRunAnnotation[]): CheckRunAnnotation[][] {
  const batches: CheckRunAnnotation[][] = []
  for (let index = 0; index < annotations.length; index += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(index, index + ANNOTATIONS_PER_REQUEST))
  }
  return batches
}
