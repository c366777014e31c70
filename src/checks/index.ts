import type { CheckRegistry, KindDefinition } from '../engine/run-plan.js'
import { definition as command } from './command/index.js'
import { definition as coverage } from './coverage/index.js'
import { definition as env } from './env/index.js'
import { definition as eslint } from './eslint/index.js'
import { definition as files } from './files/index.js'
import { definition as git } from './git/index.js'
import { definition as github } from './github/index.js'
import { definition as http } from './http/index.js'
import { definition as licenses } from './licenses/index.js'
import { definition as manual } from './manual/index.js'
import { definition as npmAudit } from './npm-audit/index.js'
import { definition as osvAudit } from './osv-audit/index.js'
import { definition as outdated } from './outdated/index.js'
import { OPTION_CHECKS } from './option-checks.js'
import { definition as secrets } from './secrets/index.js'
import { definition as tests } from './tests/index.js'
import { definition as tls } from './tls/index.js'
import { definition as typescript } from './typescript/index.js'

/** The kinds: one folder each under checks/, listed here. */
const KINDS: KindDefinition[] = [
  command,
  coverage,
  env,
  eslint,
  files,
  git,
  github,
  http,
  licenses,
  manual,
  npmAudit,
  osvAudit,
  outdated,
  secrets,
  tests,
  tls,
  typescript
]

/** Every check kind by the name a gates file uses in `check:`. The schema's enum lists the same names. */
export const CHECKS: CheckRegistry = Object.fromEntries(
  KINDS.map(({ name, ...check }) => [
    name,
    { ...check, ...(OPTION_CHECKS[name] && { checkOptions: OPTION_CHECKS[name] }) }
  ])
)

/** Kinds whose outcomes carry findings: a gate of theirs may have a `baseline` and finding waivers. */
export function findingKinds(registry: CheckRegistry = CHECKS): Set<string> {
  return new Set(
    Object.entries(registry)
      .filter(([, check]) => check.reportsFindings)
      .map(([kind]) => kind)
  )
}
