import type { Outcome } from '../../model/types.js'

/** A failed outcome with no annotations: the gate could not pass, and this says why. */
export function failed(title: string, summary: string): Outcome {
  return { conclusion: 'failure', title, summary, annotations: [] }
}
