import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { builtInImportRulesPath } from './rules.js'
import type { Wiring } from './rules.js'

/** A kind of command that changes the world, from `world-changing` in gates/import-rules.yml. */
export interface WorldChanging {
  what: string
  pattern: RegExp
  /** Its read-only twin, used instead when the command also matches `twinWhen`. */
  twin?: string
  twinWhen?: RegExp
  examples: { match: string[]; noMatch: string[] }
}

interface WorldChangingSource {
  what: string
  pattern: string
  twin?: string
  'twin-when'?: string
  examples?: { match?: string[]; 'no-match'?: string[] }
}

export function loadWorldChanging(path: string = builtInImportRulesPath()): WorldChanging[] {
  const { 'world-changing': sources = [] } = parse(readFileSync(path, 'utf8')) as {
    'world-changing'?: WorldChangingSource[]
  }
  return sources.map((source) => ({
    what: source.what,
    pattern: new RegExp(source.pattern, 'i'),
    ...(source.twin && { twin: source.twin }),
    ...(source['twin-when'] && { twinWhen: new RegExp(source['twin-when'], 'i') }),
    examples: {
      match: source.examples?.match ?? [],
      noMatch: source.examples?.['no-match'] ?? []
    }
  }))
}

/** What becomes of a wiring whose command would change the world. */
export interface Guarded {
  wiring?: Wiring
  /** Why the wiring was changed, for the gate's comment. */
  note?: string
}

/**
 * A wiring whose `run` changes the world (deploys, migrates, pushes, builds images) is never a
 * gate: its read-only twin replaces it where there is one (`prisma migrate status` for
 * `prisma migrate deploy`), else the item stays manual, with a note saying why.
 */
export function guardWorld(wiring: Wiring | undefined, changers: WorldChanging[]): Guarded {
  const run = wiring?.with.run
  if (!wiring || typeof run !== 'string') return wiring ? { wiring } : {}
  const changer = changers.find((candidate) => candidate.pattern.test(run))
  if (!changer) return { wiring }
  if (changer.twin && changer.twinWhen?.test(run) !== false)
    return {
      wiring: { ...wiring, with: { ...wiring.with, run: changer.twin } },
      note: `\`${run}\` ${changer.what}: a gate runs its read-only twin instead`
    }
  return {
    note: `kept manual: \`${run}\` ${changer.what}, which no gate may do; run it yourself, then sign off`
  }
}
