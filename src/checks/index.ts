import type { CheckRegistry } from '../engine/run-plan.js'
import { commandCheck } from './command.js'
import { coverageCheck } from './coverage.js'
import { envCheck } from './env.js'
import { eslintCheck } from './eslint.js'
import { filesCheck } from './files.js'
import { gitCheck } from './git.js'
import { httpCheck } from './http.js'
import { manualCheck } from './manual.js'
import { npmAuditCheck } from './npm-audit.js'
import { secretsCheck } from './secrets.js'
import { testsCheck } from './tests.js'
import { tlsCheck } from './tls.js'
import { typescriptCheck } from './typescript.js'

/** Every check kind by the name a gates file uses in `check:`. The schema's enum lists the same names. */
export const CHECKS: CheckRegistry = {
  command: { run: commandCheck },
  coverage: { run: coverageCheck },
  env: { run: envCheck },
  eslint: { run: eslintCheck },
  files: { run: filesCheck },
  git: { run: gitCheck },
  http: { run: httpCheck },
  manual: { run: manualCheck },
  'npm-audit': { run: npmAuditCheck, findingWaivers: true },
  secrets: { run: secretsCheck, findingWaivers: true },
  tests: { run: testsCheck },
  tls: { run: tlsCheck },
  typescript: { run: typescriptCheck }
}

/** Kinds whose waivers may name single findings. */
export function findingWaiverKinds(registry: CheckRegistry = CHECKS): Set<string> {
  return new Set(
    Object.entries(registry)
      .filter(([, check]) => check.findingWaivers)
      .map(([kind]) => kind)
  )
}
