import type { CheckRegistry } from '../engine/run-plan.js'
import { commandCheck } from './command.js'
import { coverageCheck } from './coverage.js'
import { envCheck, envSecrets } from './env.js'
import { eslintCheck } from './eslint.js'
import { filesCheck } from './files.js'
import { gitCheck } from './git.js'
import { httpCheck, httpSecrets } from './http.js'
import { manualCheck } from './manual.js'
import { OPTION_CHECKS } from './option-checks.js'
import { npmAuditCheck } from './npm-audit.js'
import { secretsCheck } from './secrets.js'
import { testsCheck } from './tests.js'
import { tlsCheck } from './tls.js'
import { typescriptCheck } from './typescript.js'

const KINDS: CheckRegistry = {
  command: { run: commandCheck },
  coverage: { run: coverageCheck },
  env: { run: envCheck, secretsOf: envSecrets },
  eslint: { run: eslintCheck },
  files: { run: filesCheck },
  git: { run: gitCheck },
  http: { run: httpCheck, secretsOf: httpSecrets },
  manual: { run: manualCheck },
  'npm-audit': { run: npmAuditCheck, findingWaivers: true },
  secrets: { run: secretsCheck, findingWaivers: true },
  tests: { run: testsCheck },
  tls: { run: tlsCheck },
  typescript: { run: typescriptCheck }
}

/** Every check kind by the name a gates file uses in `check:`. The schema's enum lists the same names. */
export const CHECKS: CheckRegistry = Object.fromEntries(
  Object.entries(KINDS).map(([kind, check]) => [
    kind,
    { ...check, ...(OPTION_CHECKS[kind] && { checkOptions: OPTION_CHECKS[kind] }) }
  ])
)

/** Kinds whose waivers may name single findings. */
export function findingWaiverKinds(registry: CheckRegistry = CHECKS): Set<string> {
  return new Set(
    Object.entries(registry)
      .filter(([, check]) => check.findingWaivers)
      .map(([kind]) => kind)
  )
}
