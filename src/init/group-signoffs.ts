import { slugOf } from '../import/build.js'
import type { ImportedGate } from '../import/build.js'

/** The most sign-offs one run of a stage asks for: more, and nobody gives them. */
export const MAX_SIGNOFFS = 25

/** A plain manual item: no check proves it and no evidence rule (approvals) is attached. */
const isPlainManual = (gate: ImportedGate) => !gate.wiring
/** What a run asks a person for: every manual gate, plain or with approvals. */
const isSignoff = (gate: ImportedGate) => !gate.wiring || gate.wiring.check === 'manual'

/**
 * Groups a stage's plain manual items by section when it has more than `max` of them: the items
 * of one section become one section sign-off, met by the same evidence as any sign-off, with the
 * items listed in its instructions (so they are in the gate, its check run, and the rendered
 * checklist). Sections are taken at full depth first, then one heading shallower, until the stage
 * fits or only top-level sections are left. Automated gates and approvals stay as they are.
 */
export function groupSignoffs(gates: ImportedGate[], max = MAX_SIGNOFFS): ImportedGate[] {
  let result = gates
  for (const stage of new Set(gates.map((gate) => gate.stage))) {
    const count = () => result.filter((gate) => gate.stage === stage && isSignoff(gate)).length
    const deepest = Math.max(
      0,
      ...result.filter((gate) => gate.stage === stage).map((gate) => gate.item.headings.length)
    )
    for (let depth = deepest; depth >= 1 && count() > max; depth--)
      result = groupAt(result, stage, depth)
  }
  return result
}

/** Merges the plain manual items of `stage` that share their first `depth` headings. */
function groupAt(gates: ImportedGate[], stage: string, depth: number): ImportedGate[] {
  const groups = new Map<string, ImportedGate[]>()
  for (const gate of gates)
    if (gate.stage === stage && isPlainManual(gate) && gate.item.headings.length >= 1) {
      const key = gate.item.headings.slice(0, depth).join(' › ')
      groups.set(key, [...(groups.get(key) ?? []), gate])
    }
  const merged = new Map<ImportedGate, ImportedGate | null>()
  for (const [section, members] of groups) {
    if (members.length < 2) continue
    // An item kept manual for a reason (a command no gate may run) keeps the reason in the list.
    const items = members.flatMap(
      (member) =>
        member.items ?? [member.note ? `${member.item.text} (${member.note})` : member.item.text]
    )
    const headings = members[0]!.item.headings.slice(0, depth)
    const group: ImportedGate = {
      item: { ...members[0]!.item, headings },
      id: `signoff-${slugOf(section)}`,
      stage: members[0]!.stage,
      name: `${headings.at(-1)}: ${items.length} items signed off`,
      items
    }
    merged.set(members[0]!, group)
    for (const member of members.slice(1)) merged.set(member, null)
  }
  const taken = new Set(gates.map((gate) => gate.id))
  return gates.flatMap((gate) => {
    const replacement = merged.get(gate)
    if (replacement === null) return []
    if (replacement === undefined) return [gate]
    let id = replacement.id
    for (let suffix = 2; taken.has(id); suffix++) id = `${replacement.id}-${suffix}`
    taken.add(id)
    return [{ ...replacement, id }]
  })
}
