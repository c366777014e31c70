import { Document, isMap, isSeq } from 'yaml'
import type { YAMLMap } from 'yaml'
import type { ChecklistItem, SkippedPart } from './markdown.js'
import { wireItem } from './rules.js'
import type { ImportRule, Wiring } from './rules.js'
import { guardWorld, loadWorldChanging } from './world.js'
import type { WorldChanging } from './world.js'

export type Stage = 'pre-release' | 'post-deploy' | 'recurring' | 'contingency'

/**
 * A stage of its own for what is done only when something goes wrong (roll back, emergency,
 * incident response): declared in the imported file, and evaluated only by `--stage contingency`,
 * so a step like "Revert to previous version" never blocks a release.
 */
export const CONTINGENCY: Stage = 'contingency'

/**
 * Headings that say when an item is done; the innermost heading that says it wins, and within one
 * heading the first pattern here. A heading about the deployment itself (`## Deployment`,
 * `Deployment Steps`) that says neither "pre" nor "before" is post-deploy: its items are done or
 * verified once the release is out.
 */
const STAGE_HEADINGS: Array<[Stage, RegExp]> = [
  [
    CONTINGENCY,
    /\broll[- ]?backs?\b|\bemergenc|\bincident\b|\bdisaster\b|\brecovery\b|\bcontingenc|\bfailover\b|\bhotfix|\bif\b.*\b(?:fail(?:s|ed|ures?)?|issues?|problems?|errors?|breaks?)\b|\bwhen to\b|\bissue (?:response|notification)\b/i
  ],
  [
    'recurring',
    /\b(?:ongoing|daily|weekly|monthly|quarterly|maintenance|recurring|periodic|continuous)\b/i
  ],
  [
    'post-deploy',
    /\bpost[- ]?(?:deploy(?:ment)?|launch|release)\b|\bdeployment day\b|\bdeploy(?:ment)? \(day|\bverification\b|\bsmoke tests?\b|\bgo(?:ing)?[- ]live\b|\blaunch day\b|\bproduction deployment\b|\bT\+\d/i
  ],
  [
    'pre-release',
    /\bpre[- ]?(?:deploy(?:ment)?|release|launch)\b|\bbefore\b|\breadiness\b|\bpreparation\b/i
  ],
  ['post-deploy', /\bdeploy(?:ment|ing)?\b|\brelease day\b|\blaunch\b/i]
]

/** The stage the headings above an item name, innermost first; `undefined` when none does. */
export function inferStage(headings: string[]): Stage | undefined {
  for (const heading of [...headings].reverse())
    for (const [stage, pattern] of STAGE_HEADINGS) if (pattern.test(heading)) return stage
  return undefined
}

export interface ImportedGate {
  item: ChecklistItem
  id: string
  stage: Stage
  wiring?: Wiring
  /** What the import changed from the rule's wiring, and why (a command that changes the world). */
  note?: string
  /** Gates this one reads the results of (coverage needs the tests that write its report). */
  needs?: string[]
  /** The gate's name, when not the item's text (a section sign-off). */
  name?: string
  /** The checklist items a section sign-off covers, listed in its instructions. */
  items?: string[]
}

export interface ImportOptions {
  /** Every item in this stage, whatever the headings say. */
  stage?: Stage
  /** Stage for items whose headings name none (default pre-release). */
  defaultStage?: Stage
  /** Commands no gate may run (default: the built-in `world-changing` list). */
  changers?: WorldChanging[]
}

let builtInChangers: WorldChanging[] | undefined

/** A stable slug: lower case words of the item joined by `-`, at most 6 words and 48 characters. */
export function slugOf(text: string): string {
  const words = text
    .replace(/`[^`]*`/g, ' ')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean)
  const slug = words.slice(0, 6).join('-').slice(0, 48).replace(/-+$/, '')
  return /^[a-z]/.test(slug) ? slug : `item-${slug || 'x'}`
}

/** One gate per item: unique ids (`-2`, `-3` for repeats), stage, and the check that proves it. */
export function importItems(
  items: ChecklistItem[],
  rules: ImportRule[],
  options: ImportOptions = {}
): ImportedGate[] {
  const used = new Map<string, number>()
  const changers = options.changers ?? (builtInChangers ??= loadWorldChanging())
  return items.map((item) => {
    const base = slugOf(item.text)
    const seen = (used.get(base) ?? 0) + 1
    used.set(base, seen)
    const { wiring, note } = guardWorld(wireItem(item.text, rules), changers)
    return {
      item,
      id: seen === 1 ? base : `${base}-${seen}`,
      stage: options.stage ?? inferStage(item.headings) ?? options.defaultStage ?? 'pre-release',
      ...(wiring && { wiring }),
      ...(note && { note })
    }
  })
}

/** One imported gate as the gates file holds it. */
export function gateEntry(gate: ImportedGate): Record<string, unknown> {
  return {
    id: gate.id,
    name: gate.name ?? gate.item.text,
    ...(gate.item.headings.length && { section: gate.item.headings.join(' › ') }),
    stage: gate.stage,
    check: gate.wiring?.check ?? 'manual',
    ...(gate.needs?.length && { needs: gate.needs }),
    ...(gate.wiring?.placeholders.length && { enabled: false }),
    ...(gate.wiring && Object.keys(gate.wiring.with).length && { with: gate.wiring.with }),
    ...(!gate.wiring && {
      with: {
        ...(gate.items && {
          instructions: `Sign off when every item is done:\n${gate.items.map((item) => `- ${item}`).join('\n')}\n`
        }),
        signoff: defaultSignoff()
      }
    })
  }
}

/**
 * How an imported sign-off is given until the team names its signers: a comment
 * `/release-gates sign-off <id>` on the pull request by someone who may push to the repository,
 * never by anyone who can comment (everyone, on a public repository). A fresh object each time:
 * YAML would write one shared object as anchors and aliases.
 */
export const defaultSignoff = () => ({ comment: { permission: 'write' } })

/**
 * The gates file as YAML, every wired gate with a comment saying which words chose its check,
 * and gates holding a placeholder disabled, saying what to fill.
 */
export function renderGatesFile(gates: ImportedGate[], source: string, schema?: string): string {
  const contingency = gates.some((gate) => gate.stage === CONTINGENCY)
  const document = new Document({
    version: 1,
    ...(contingency && { stages: [CONTINGENCY] }),
    gates: gates.map(gateEntry)
  })
  document.commentBefore = [
    ...(schema ? [` yaml-language-server: $schema=${schema}`] : []),
    ` Imported by \`release-gates import\` from ${source}.`,
    ' One gate per checklist item; items no check can prove are `manual`. Gates marked FILL-ME',
    ' are disabled until their parameters are filled: `release-gates validate` lists them.',
    ' A manual gate is signed off by a comment `/release-gates sign-off <id>` on the pull request',
    ' from someone with write access; name who may sign with `users` or `teams` (org/team).',
    ...(contingency
      ? [
          ' Items for when something goes wrong (roll back, emergency, incident) are in the stage',
          ' `contingency`: a normal run does not evaluate them; `--stage contingency` does.'
        ]
      : [])
  ].join('\n')
  const list = document.get('gates', true)
  if (isSeq(list))
    list.items.forEach((node, index) => {
      const comment = gateComment(gates[index]!)
      if (isMap(node) && comment) (node as YAMLMap).commentBefore = comment
    })
  return document.toString({ lineWidth: 0 })
}

/** The comment above an imported gate: which words chose its check, what was changed, what to fill. */
export function gateComment(gate: ImportedGate): string | undefined {
  if (!gate.wiring && !gate.note) return undefined
  const notes = gate.wiring
    ? [` ${gate.wiring.check}: chosen by "${gate.wiring.matched}" (rule ${gate.wiring.rule})`]
    : []
  if (gate.note) notes.push(` ${gate.note}`)
  if (gate.wiring?.placeholders.length)
    notes.push(` fill ${gate.wiring.placeholders.join(', ')}, then remove enabled: false`)
  return notes.join('\n')
}

export interface ImportSummary {
  items: number
  automated: number
  manual: number
  needsParameters: number
  byKind: Record<string, number>
  byStage: Record<string, number>
}

export function summarizeImport(gates: ImportedGate[]): ImportSummary {
  const count = (values: string[]) =>
    values.reduce<Record<string, number>>((totals, value) => {
      totals[value] = (totals[value] ?? 0) + 1
      return totals
    }, {})
  const automated = gates.filter((gate) => gate.wiring && gate.wiring.check !== 'manual')
  return {
    items: gates.length,
    automated: automated.length,
    manual: gates.length - automated.length,
    needsParameters: gates.filter((gate) => gate.wiring?.placeholders.length).length,
    byKind: count(gates.map((gate) => gate.wiring?.check ?? 'manual')),
    byStage: count(gates.map((gate) => gate.stage))
  }
}

/** The lines that say which parts of the checklist gave no item (`file:line`), for import and init. */
export function describeSkipped(skipped: SkippedPart[], file: string): string {
  if (!skipped.length) return ''
  return [
    `Skipped, no items (${skipped.length}):`,
    ...skipped.map(
      (part) =>
        `  ${file}:${part.line}${part.headings.length ? ` (${part.headings.join(' › ')})` : ''}: ${part.why}`
    ),
    ''
  ].join('\n')
}

/** The report printed after an import. */
export function renderImportReport(summary: ImportSummary, out: string): string {
  const kinds = Object.entries(summary.byKind)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([kind, count]) => `  ${kind.padEnd(12)} ${count}`)
  const stages = Object.entries(summary.byStage).map(
    ([stage, count]) => `  ${stage.padEnd(12)} ${count}`
  )
  return [
    `Imported ${summary.items} items into ${out}: ${summary.automated} automated (${Math.round((summary.automated / Math.max(1, summary.items)) * 100)} %), ${summary.manual} manual.`,
    summary.needsParameters
      ? `${summary.needsParameters} automated gates are disabled until their FILL-ME parameters are filled (release-gates validate lists them).`
      : '',
    'Gates per kind:',
    ...kinds,
    'Gates per stage:',
    ...stages,
    ''
  ]
    .filter((line) => line !== '')
    .join('\n')
    .concat('\n')
}
