import { posix } from 'node:path'
import type { Report } from '../model/report.js'
import type { AnnotationLevel } from '../model/types.js'

export type WorkflowLevel = 'error' | 'warning' | 'notice'

/** An annotation made with a workflow command (`::error file=…::message`). */
export interface WorkflowAnnotation {
  level: WorkflowLevel
  message: string
  title: string
  file?: string
  line?: number
  column?: number
}

/** The runner shows at most this many workflow-command annotations per level per step. */
export const RUNNER_LIMIT_PER_LEVEL = 10

const LEVEL: Record<AnnotationLevel, WorkflowLevel> = {
  failure: 'error',
  warning: 'warning',
  notice: 'notice'
}

/**
 * When check runs cannot be written, annotations go through workflow commands, of which the
 * runner shows only 10 per level. Chooses the most important: each unmet required gate (placed
 * on its definition in the gates file), then the findings of required gates, then advisory ones.
 */
export function pickWorkflowAnnotations(
  report: Report,
  pathPrefix = '',
  /** What is left of each level's 10 after the action's own messages (its failure, its warnings). */
  budget: Record<WorkflowLevel, number> = {
    error: RUNNER_LIMIT_PER_LEVEL,
    warning: RUNNER_LIMIT_PER_LEVEL,
    notice: RUNNER_LIMIT_PER_LEVEL
  }
): { chosen: WorkflowAnnotation[]; dropped: number } {
  const candidates: WorkflowAnnotation[] = []
  const ordered = [
    ...report.gates.filter((gate) => gate.blocking),
    ...report.gates.filter((gate) => !gate.blocking && !gate.met)
  ]
  for (const gate of ordered) {
    const [file, line, column] = splitLocation(gate.location)
    candidates.push({
      level: gate.blocking ? 'error' : 'warning',
      title: `Release gate ${gate.blocking ? 'unmet' : 'not met (advisory)'}: ${gate.name}`,
      message: gate.title,
      ...(file && { file: prefixed(pathPrefix, file), line, column })
    })
  }
  for (const gate of ordered) {
    for (const annotation of gate.annotations) {
      candidates.push({
        level: gate.blocking
          ? LEVEL[annotation.level]
          : annotation.level === 'notice'
            ? 'notice'
            : 'warning',
        title: annotation.title ?? `${gate.name}`,
        message: annotation.message,
        file: prefixed(pathPrefix, annotation.path),
        line: annotation.line,
        ...(annotation.column !== undefined && { column: annotation.column })
      })
    }
  }
  const perLevelCount: Record<WorkflowLevel, number> = { error: 0, warning: 0, notice: 0 }
  const chosen = candidates.filter(
    (candidate) => perLevelCount[candidate.level]++ < budget[candidate.level]
  )
  return { chosen, dropped: candidates.length - chosen.length }
}

/** "path/file.yml:12:5" -> ["path/file.yml", 12, 5] */
function splitLocation(
  location: string
): [string | undefined, number | undefined, number | undefined] {
  const match = /^(.*):(\d+):(\d+)$/.exec(location)
  return match ? [match[1], Number(match[2]), Number(match[3])] : [undefined, undefined, undefined]
}

function prefixed(prefix: string, path: string): string {
  return prefix && !posix.isAbsolute(path) ? posix.join(prefix, path) : path
}
