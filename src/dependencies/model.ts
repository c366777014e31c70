import { lineIndexAt, lineStartsOf } from '../util/lines.js'

/** The ecosystems whose lockfiles are read, named as OSV names them. */
export type Ecosystem = 'npm' | 'PyPI' | 'Go' | 'crates.io'

/** One installed package, as its lockfile records it. */
export interface Dependency {
  ecosystem: Ecosystem
  /** The registry's name (an npm alias resolved to the package it installs). */
  name: string
  /** The version as OSV compares it (Go without its `v`). */
  version: string
  /**
   * true: only development dependencies need it; false: production needs it; undefined: the
   * lockfile does not say.
   */
  dev?: boolean
  /** Where it sits: `node_modules/a/node_modules/b` for npm, `name@version` elsewhere. */
  path: string
  /** The lockfile line of its entry (1-based). */
  line: number
  /** The name the project installs it under, when that differs (npm aliases). */
  alias?: string
  /** The licence the lockfile records (package-lock v2+), when it does. */
  license?: string
}

/** A lockfile entry that cannot be audited: never skipped in silence. */
export interface Unauditable {
  line: number
  text: string
  reason: string
}

/** A lockfile, read. */
export interface Lockfile {
  /** Repository-relative path. */
  path: string
  ecosystem: Ecosystem
  /** What was read, for a reader: `package-lock.json v3`, `poetry.lock`. */
  format: string
  dependencies: Dependency[]
  unauditable: Unauditable[]
  /** Whether the lockfile (with its manifests) says which dependencies are development-only. */
  devKnown: boolean
}

/** A lockfile that does not parse: the file, line and what was expected. */
export class LockfileError extends Error {
  constructor(
    readonly path: string,
    readonly line: number | undefined,
    message: string
  ) {
    super(`${path}${line ? `:${line}` : ''}: ${message}`)
  }
}

/** The 1-based line of each offset's start, for entries found by searching the text. */
export class LineIndex {
  private readonly starts: number[]
  constructor(readonly text: string) {
    this.starts = lineStartsOf(text)
  }

  /** The line holding `offset`. */
  lineAt(offset: number): number {
    return lineIndexAt(this.starts, offset) + 1
  }

  /** The line where `needle` first occurs (after `from`), or 1 when it does not. */
  lineOf(needle: string, from = 0): number {
    const index = this.text.indexOf(needle, from)
    return index < 0 ? 1 : this.lineAt(index)
  }
}

/**
 * Which packages only development dependencies reach: those reachable from the dev roots and not
 * from the production roots, through `edges`.
 */
export function devOnly(
  prodRoots: Iterable<string>,
  devRoots: Iterable<string>,
  edges: (key: string) => Iterable<string>
): { prod: Set<string>; dev: Set<string> } {
  const walk = (roots: Iterable<string>, stop?: Set<string>) => {
    const seen = new Set<string>()
    const queue = [...roots]
    while (queue.length) {
      const key = queue.pop()!
      if (seen.has(key) || stop?.has(key)) continue
      seen.add(key)
      queue.push(...edges(key))
    }
    return seen
  }
  const prod = walk(prodRoots)
  return { prod, dev: walk(devRoots, prod) }
}
