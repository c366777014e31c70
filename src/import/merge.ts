import { readFileSync, writeFileSync } from 'node:fs'
import { isMap, isScalar, isSeq, parseDocument } from 'yaml'
import type { YAMLMap, YAMLSeq } from 'yaml'
import { CONTINGENCY, gateComment, gateEntry } from './build.js'
import type { ImportedGate } from './build.js'

/** A gates file that cannot be merged into: reported with its line, never overwritten. */
export class MergeError extends Error {}

export interface MergeResult {
  text: string
  /** Items already in the file (by id, or by name): left exactly as they are. */
  kept: string[]
  /** Items new to the file: appended. */
  added: string[]
  /** Gates of the file that no item matches any more: kept, and listed for the maintainer. */
  gone: string[]
}

/**
 * Merges a fresh import into an existing gates file, keeping the work done in it: a gate whose id
 * or name matches an item is left exactly as it is (values filled by hand, waivers, sign-off
 * owners, edits, comments); new items are appended; gates no item matches are kept and listed,
 * never silently dropped. Matching by name too means a checklist rendered by `checklist` and
 * imported again finds its gates even where an id was changed by hand.
 */
export function mergeIntoGatesFile(
  existing: string,
  file: string,
  fresh: ImportedGate[]
): MergeResult {
  const document = parseDocument(existing)
  const problem = document.errors[0]
  if (problem) {
    const [line, col] = problem.linePos?.[0]
      ? [problem.linePos[0].line, problem.linePos[0].col]
      : [0, 0]
    throw new MergeError(
      `${file}:${line}:${col}: cannot merge into it: ${problem.message.split('\n')[0]}`
    )
  }
  let list = document.get('gates', true)
  if (list === undefined) {
    document.set('gates', document.createNode([]))
    list = document.get('gates', true)
  }
  if (!isSeq(list)) throw new MergeError(`${file}: cannot merge into it: 'gates' is not a list`)
  const entries = (list as YAMLSeq).items.filter(isMap) as YAMLMap[]
  const text = (map: YAMLMap, key: string): string | undefined => {
    const node = map.get(key, true)
    return isScalar(node) && typeof node.value === 'string' ? node.value : undefined
  }
  const byId = new Map(entries.map((map) => [text(map, 'id'), map]))
  const byName = new Map(entries.map((map) => [text(map, 'name'), map]))
  const matched = new Set<YAMLMap>()
  const kept: string[] = []
  const added: string[] = []
  for (const gate of fresh) {
    const name = gateEntry(gate).name as string
    const existingGate = byId.get(gate.id) ?? byName.get(name)
    if (existingGate) {
      matched.add(existingGate)
      kept.push(text(existingGate, 'id') ?? gate.id)
      continue
    }
    const node = document.createNode(gateEntry(gate)) as YAMLMap
    const comment = gateComment(gate)
    if (comment) node.commentBefore = comment
    ;(list as YAMLSeq).add(node)
    added.push(gate.id)
  }
  if (fresh.some((gate) => gate.stage === CONTINGENCY)) {
    const stages = document.get('stages', true)
    if (stages === undefined) document.set('stages', document.createNode([CONTINGENCY]))
    else if (
      isSeq(stages) &&
      !stages.items.some((item) => isScalar(item) && item.value === CONTINGENCY)
    )
      stages.add(document.createNode(CONTINGENCY))
  }
  const gone = entries.filter((map) => !matched.has(map)).map((map) => text(map, 'id') ?? '?')
  return { text: document.toString({ lineWidth: 0 }), kept, added, gone }
}

/** What a merge did, for the command's report. */
export function renderMergeReport(result: MergeResult, out: string): string {
  const lines = [
    `Merged into ${out}: ${result.kept.length} gates kept as they were, ${result.added.length} added.`
  ]
  if (result.added.length) lines.push(`Added: ${result.added.join(', ')}`)
  if (result.gone.length)
    lines.push(
      `No longer in the checklist (kept in the file; remove them if they are done with): ${result.gone.join(', ')}`
    )
  return `${lines.join('\n')}\n`
}

/** Merges `fresh` into the gates file at `target`, writes it back, and returns the report. */
export function mergeIntoFile(target: string, out: string, fresh: ImportedGate[]): string {
  const merged = mergeIntoGatesFile(readFileSync(target, 'utf8'), out, fresh)
  writeFileSync(target, merged.text)
  return renderMergeReport(merged, out)
}
