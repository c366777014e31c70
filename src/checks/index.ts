import type { CheckRegistry } from '../engine/run-plan.js'
import { commandCheck } from './command.js'
import { envCheck } from './env.js'
import { filesCheck } from './files.js'
import { manualCheck } from './manual.js'

/** Every check kind by the name a gates file uses in `check:`. The schema's enum lists the same names. */
export const CHECKS: CheckRegistry = {
  command: { run: commandCheck },
  env: { run: envCheck },
  files: { run: filesCheck },
  manual: { run: manualCheck }
}

/** Kinds whose waivers may name single findings. */
export function findingWaiverKinds(registry: CheckRegistry = CHECKS): Set<string> {
  return new Set(
    Object.entries(registry)
      .filter(([, check]) => check.findingWaivers)
      .map(([kind]) => kind)
  )
}
