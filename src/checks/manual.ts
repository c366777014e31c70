import type { PlannedGate } from '../config/model.js'
import type { Outcome, Workspace } from '../engine/types.js'

export interface ManualOptions {
  instructions?: string
  url?: string
}

/** An item no machine can prove: tracked and shown to the people who must verify it. */
export async function manualCheck(gate: PlannedGate, _workspace: Workspace): Promise<Outcome> {
  const options = (gate.with ?? {}) as ManualOptions
  const parts = ['No machine can prove this item: a person must verify it and sign off.']
  if (options.instructions) parts.push(`**What to verify:** ${options.instructions.trim()}`)
  if (options.url) parts.push(`**Evidence:** ${options.url}`)
  return {
    conclusion: 'action_required',
    title: `Needs sign-off: ${gate.name}`,
    summary: parts.join('\n\n'),
    annotations: []
  }
}
