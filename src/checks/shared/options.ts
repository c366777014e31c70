import type { PlannedGate } from '../../model/plan.js'
import type { KindOptions } from '../../config/generated/options.js'

export type { KindOptions }

/**
 * A gate's `with` in its kind's shape. The one place that shape is asserted rather than proven to
 * the compiler: the types are generated from gates/schema.json, the schema whose compiled
 * validator checked this `with` when the gates file was read.
 */
export function optionsOf<Kind extends keyof KindOptions>(
  gate: PlannedGate,
  kind: Kind
): KindOptions[Kind] {
  if (gate.check !== kind)
    throw new Error(`gate '${gate.id}' is a ${gate.check} gate, read as ${kind}`)
  return gate.with as unknown as KindOptions[Kind]
}
