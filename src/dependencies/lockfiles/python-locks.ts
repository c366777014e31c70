import { parse as parseToml } from 'smol-toml'
import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { LineIndex, LockfileError } from '../model.js'
import { pypiName } from '../names.js'

interface PoetryPackage {
  name?: string
  version?: string
  category?: string
  groups?: string[]
  source?: { type?: string; url?: string }
}

function readToml(path: string, text: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>
  } catch (error) {
    const line = (error as { line?: number }).line
    throw new LockfileError(path, line, `not TOML: ${(error as Error).message.split('\n')[0]}`)
  }
}

/**
 * The `[[package]]` tables of a TOML lockfile (poetry.lock, Cargo.lock), each with the line it
 * starts on: tables are found in order by their `name = "…"`.
 */
function packageTables<Entry extends { name?: string }>(
  path: string,
  text: string,
  what: string
): { lock: Record<string, unknown>; tables: Array<{ entry: Entry; line: number }> } {
  const lock = readToml(path, text)
  if (!Array.isArray(lock.package))
    throw new LockfileError(path, 1, `expected [[package]] tables (a ${what})`)
  const lines = new LineIndex(text)
  let from = 0
  const tables = (lock.package as Entry[]).map((entry) => {
    const at = text.indexOf(`name = "${entry.name ?? ''}"`, from)
    if (at < 0) return { entry, line: 1 }
    from = at + 1
    const table = text.lastIndexOf('[[package]]', at)
    return { entry, line: lines.lineAt(table < 0 ? at : table) }
  })
  return { lock, tables }
}

/**
 * `poetry.lock`: every `[[package]]`. Poetry 1 marks development packages with
 * `category = "dev"`; poetry 2 lists each package's `groups`; lock 2.0 of poetry 1.5–1.8 says
 * neither, and then which are development-only is not known.
 */
export function readPoetryLock(path: string, text: string): Lockfile {
  const { lock, tables } = packageTables<PoetryPackage>(path, text, 'poetry.lock')
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  let devKnown = true
  for (const { entry, line } of tables) {
    if (!entry.name || !entry.version) {
      unauditable.push({
        line,
        text: entry.name ?? '[[package]]',
        reason: 'no name or version'
      })
      continue
    }
    const source = entry.source?.type
    if (source && source !== 'legacy') {
      unauditable.push({
        line,
        text: `${entry.name} ${entry.version}`,
        reason: `installed from a ${source} source, not a released version`
      })
      continue
    }
    const dev = entry.category
      ? entry.category === 'dev'
      : entry.groups
        ? !entry.groups.includes('main')
        : undefined
    if (dev === undefined) devKnown = false
    dependencies.push({
      ecosystem: 'PyPI',
      name: pypiName(entry.name),
      version: entry.version,
      ...(dev !== undefined && { dev }),
      path: `${pypiName(entry.name)}==${entry.version}`,
      line
    })
  }
  const version = (lock.metadata as { 'lock-version'?: string } | undefined)?.['lock-version']
  return {
    path,
    ecosystem: 'PyPI',
    format: `poetry.lock${version ? ` (lock ${version})` : ''}`,
    dependencies,
    unauditable,
    devKnown
  }
}

/** `Pipfile.lock`: `default` (production) and `develop` sections, versions as `==1.2.3`. */
export function readPipfileLock(path: string, text: string): Lockfile {
  let lock: Record<
    string,
    Record<string, { version?: string; git?: string; path?: string; file?: string }>
  >
  try {
    lock = JSON.parse(text) as typeof lock
  } catch (error) {
    throw new LockfileError(path, undefined, `not JSON: ${(error as Error).message}`)
  }
  if (!lock || typeof lock !== 'object' || (!lock.default && !lock.develop))
    throw new LockfileError(path, 1, 'expected "default" and "develop" sections (a Pipfile.lock)')
  const lines = new LineIndex(text)
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  for (const section of ['default', 'develop'] as const) {
    const start = text.indexOf(`"${section}"`)
    for (const [name, entry] of Object.entries(lock[section] ?? {})) {
      const line = lines.lineOf(`"${name}": {`, Math.max(start, 0))
      const pin = /^===?([^\s,*]+)$/.exec(entry.version ?? '')
      if (!pin) {
        unauditable.push({
          line,
          text: name,
          reason:
            entry.git || entry.path || entry.file
              ? 'installed from a repository or path'
              : `no pinned version (${entry.version ?? 'none'})`
        })
        continue
      }
      dependencies.push({
        ecosystem: 'PyPI',
        name: pypiName(name),
        version: pin[1]!,
        dev: section === 'develop',
        path: `${pypiName(name)}==${pin[1]}`,
        line
      })
    }
  }
  return {
    path,
    ecosystem: 'PyPI',
    format: 'Pipfile.lock',
    dependencies,
    unauditable,
    devKnown: true
  }
}

/** `Cargo.lock`: crates from crates.io (a `registry+` or `sparse+` source); path crates are the project. */
export function readCargoLock(path: string, text: string): Lockfile {
  const { tables } = packageTables<{ name?: string; version?: string; source?: string }>(
    path,
    text,
    'Cargo.lock'
  )
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  for (const { entry, line } of tables) {
    if (!entry.source) continue
    if (!/^(registry|sparse)\+/.test(entry.source) || !entry.name || !entry.version) {
      unauditable.push({
        line,
        text: `${entry.name ?? '?'} ${entry.version ?? ''}`.trim(),
        reason: `from ${entry.source}, not a crates.io release`
      })
      continue
    }
    dependencies.push({
      ecosystem: 'crates.io',
      name: entry.name,
      version: entry.version,
      path: `${entry.name}@${entry.version}`,
      line
    })
  }
  return {
    path,
    ecosystem: 'crates.io',
    format: 'Cargo.lock',
    dependencies,
    unauditable,
    devKnown: false
  }
}
