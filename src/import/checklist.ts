import type { Plan, PlannedGate } from '../config/model.js'
import { PLACEHOLDER_MARK } from './rules.js'

/** What the latest report says of a gate. */
export interface GateStatus {
  met: boolean
  conclusion: string
  /** The gate's one-line result, shown under an item that is not ticked. */
  title?: string
}

/**
 * The gates file back as a markdown checklist, sections as headings, ticked from the latest
 * results: ✅ met (ticked), ❌ unmet, ⏳ waiting for a person; unticked and unmarked without
 * results. `release-gates import` reads it back to the same gates.
 */
export function renderChecklist(plan: Plan, results?: Map<string, GateStatus>): string {
  const lines = [
    `# Release checklist${plan.environment ? `: ${plan.environment}` : ''}`,
    '',
    results
      ? `Ticked from the latest results of \`${plan.file}\`: ✅ met, ❌ unmet, ⏳ waiting for a sign-off, ⏸️ not evaluated (switched off, or not in the report). Only a met item is ticked.`
      : `From \`${plan.file}\`; not yet evaluated.`
  ]
  let open: string[] = []
  // Gates without a section first: before any heading, where import finds no section.
  const ordered = [
    ...plan.gates.filter((gate) => !gate.section),
    ...plan.gates.filter((gate) => gate.section)
  ]
  for (const gate of ordered) {
    const path = gate.section ? gate.section.split(' › ') : []
    let common = 0
    while (common < open.length && common < path.length && open[common] === path[common]) common++
    if (common < path.length || path.length < open.length) {
      for (let depth = common; depth < path.length; depth++)
        lines.push('', `${'#'.repeat(Math.min(depth + 2, 6))} ${path[depth]}`)
      lines.push('')
    } else if (lines[lines.length - 1] !== '' && !/^(- \[| {2}- )/.test(lines[lines.length - 1]!))
      lines.push('')
    open = path
    lines.push(...itemLines(gate, results, results?.get(gate.id)))
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n')}\n`
}

/**
 * An item, ticked only when the gate ran and is met; an item that is not carries why, as a plain
 * sub-bullet (which `import` does not read as an item), so a 405 from an audit endpoint is not
 * taken for vulnerabilities, and a gate that never ran is never taken for a met one.
 */
function itemLines(
  gate: PlannedGate,
  results: Map<string, GateStatus> | undefined,
  status: GateStatus | undefined
): string[] {
  const covered = coveredItems(gate).map((item) => `  - ${item}`)
  if (!results) return [`- [ ] ${gate.name}`, ...covered]
  const ran = status !== undefined && status.conclusion !== 'skipped'
  const ticked = ran && status.met
  const mark = ticked
    ? '✅ '
    : !ran
      ? '⏸️ '
      : status.conclusion === 'action_required'
        ? '⏳ '
        : '❌ '
  const why = ticked
    ? status.conclusion === 'neutral' && status.title
      ? status.title
      : undefined
    : !status
      ? 'not evaluated: the report has no result for this gate'
      : status.conclusion === 'skipped'
        ? `not evaluated: ${status.title ?? 'switched off'}`
        : (status.title ?? status.conclusion)
  return [
    `- [${ticked ? 'x' : ' '}] ${mark}${gate.name}`,
    ...(why ? [`  - ${why.replace(/\s+/g, ' ').trim()}`] : []),
    ...covered
  ]
}

/**
 * The items a section sign-off covers (its instructions' `- ` lines, as `init` writes them), shown
 * under it as plain sub-bullets: every item stays visible in the rendered checklist.
 */
function coveredItems(gate: PlannedGate): string[] {
  const instructions = gate.check === 'manual' ? gate.with.instructions : undefined
  if (typeof instructions !== 'string') return []
  return instructions
    .split('\n')
    .filter((line) => line.startsWith('- '))
    .map((line) => line.slice(2).trim())
}

/** Gates that still hold a FILL-ME placeholder, with where: what `validate` warns about. */
export function placeholderGates(
  gates: Array<{ id: string; with?: unknown }>
): Array<{ id: string; paths: string[] }> {
  const found: Array<{ id: string; paths: string[] }> = []
  for (const gate of gates) {
    const paths: string[] = []
    const walk = (value: unknown, path: string): void => {
      if (typeof value === 'string' && PLACEHOLDER_MARK.test(value)) paths.push(path)
      else if (Array.isArray(value)) value.forEach((item, index) => walk(item, `${path}[${index}]`))
      else if (value && typeof value === 'object')
        for (const [key, inner] of Object.entries(value)) walk(inner, path ? `${path}.${key}` : key)
    }
    walk(gate.with, 'with')
    if (paths.length) found.push({ id: gate.id, paths })
  }
  return found
}
