import type { ManualOptions } from '../../config/generated/options.js'

export type { ManualOptions }
import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { signoffOutcome } from './signoff.js'

/** An item no machine can prove: tracked and shown to the people who must verify it. */
export async function manualCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'manual')
  const details: string[] = []
  if (options.instructions) details.push(`**What to verify:** ${options.instructions.trim()}`)
  if (options.url) details.push(`**Evidence:** ${options.url}`)
  if (options.signoff) return signoffOutcome(gate, options.signoff, workspace, details)
  const parts = [
    'No machine can prove this item: a person must verify it and sign off.',
    ...details
  ]
  return {
    conclusion: 'action_required',
    title: `Needs sign-off: ${gate.name}`,
    summary: parts.join('\n\n'),
    annotations: []
  }
}

/** The `manual` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'manual', cpuBound: false, run: manualCheck }
