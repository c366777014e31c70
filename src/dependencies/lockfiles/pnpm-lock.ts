import { parse as parseYaml } from 'yaml'
import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { devOnly, LineIndex, LockfileError } from '../model.js'

interface Importer {
  dependencies?: Record<string, string | { version: string }>
  devDependencies?: Record<string, string | { version: string }>
  optionalDependencies?: Record<string, string | { version: string }>
}

interface Snapshot {
  dev?: boolean
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/** `lodash@4.17.15`, `/lodash@4.17.15` (v6), `/lodash/4.17.15` (v5), `@a/b@1.0.0(peer@2)`. */
export function parsePnpmKey(key: string): { name: string; version: string } | undefined {
  const bare = key.replace(/^\//, '')
  // v5: name/version, with an optional _peer@version suffix.
  const v5 = /^((?:@[^/]+\/)?[^/@]+)\/(\d[^_/]*)(?:_.*)?$/.exec(bare)
  if (v5) return { name: v5[1]!, version: v5[2]! }
  const v6 = /^((?:@[^/]+\/)?[^/@]+)@([^(_/]+)/.exec(bare)
  return v6 ? { name: v6[1]!, version: v6[2]! } : undefined
}

/**
 * `pnpm-lock.yaml` v5 to v9. Development-only packages are what only importers' devDependencies
 * reach through the snapshots (v9 no longer marks them); v5–v6 mark them with `dev`.
 */
export function readPnpmLock(path: string, text: string): Lockfile {
  let lock: {
    lockfileVersion?: string | number
    importers?: Record<string, Importer>
    packages?: Record<string, Snapshot>
    snapshots?: Record<string, Snapshot>
  } & Importer
  try {
    lock = parseYaml(text) as typeof lock
  } catch (error) {
    const line = (error as { linePos?: Array<{ line: number }> }).linePos?.[0]?.line
    throw new LockfileError(path, line, `not YAML: ${(error as Error).message.split('\n')[0]}`)
  }
  if (!lock || typeof lock !== 'object' || lock.lockfileVersion === undefined)
    throw new LockfileError(path, 1, 'expected a pnpm lockfile with lockfileVersion')
  const lines = new LineIndex(text)
  const major = Number.parseFloat(String(lock.lockfileVersion))
  const graph = lock.snapshots ?? lock.packages ?? {}
  const packages = lock.packages ?? {}
  // A dependency's value: `4.17.15`, `4.17.15(peer@1)`, `lodash@4.17.15` (an alias), `link:…`.
  const keyOf = (name: string, value: string) => {
    if (value.startsWith('link:') || value.startsWith('file:')) return undefined
    if (major >= 9) return value.includes('@', 1) && !/^\d/.test(value) ? value : `${name}@${value}`
    if (value.startsWith('/')) return value
    return major >= 6 ? `/${name}@${value}` : `/${name}/${value}`
  }
  const edges = (key: string) =>
    Object.entries({ ...graph[key]?.dependencies, ...graph[key]?.optionalDependencies }).flatMap(
      ([name, value]) => keyOf(name, value) ?? []
    )
  const importers = lock.importers ?? { '.': lock }
  const roots = (group: keyof Importer) =>
    Object.values(importers).flatMap((importer) =>
      Object.entries(importer[group] ?? {}).flatMap(
        ([name, value]) => keyOf(name, typeof value === 'string' ? value : value.version) ?? []
      )
    )
  // An importer's alias (`old-lodash: lodash@4.17.15`): the name the project installs it under.
  const aliases = new Map<string, string>()
  for (const importer of Object.values(importers))
    for (const group of ['dependencies', 'devDependencies', 'optionalDependencies'] as const)
      for (const [name, value] of Object.entries(importer[group] ?? {})) {
        const key = keyOf(name, typeof value === 'string' ? value : value.version)
        if (key && parsePnpmKey(key)?.name !== name) aliases.set(key, name)
      }
  const reach = devOnly(
    [...roots('dependencies'), ...roots('optionalDependencies')],
    roots('devDependencies'),
    edges
  )
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  for (const key of Object.keys(graph)) {
    const parsed = parsePnpmKey(key)
    const quoted = [`\n  ${key}:`, `\n  '${key}':`]
    const at = Math.max(
      ...quoted.map((needle) => text.indexOf(needle, text.indexOf('\npackages:')))
    )
    const line = at < 0 ? lines.lineOf(key) : lines.lineAt(at + 1)
    const resolution = (
      packages[key.replace(/\(.*$/, '')] as { resolution?: Record<string, string> }
    )?.resolution
    if (!parsed || resolution?.tarball || resolution?.repo || resolution?.directory) {
      unauditable.push({ line, text: key, reason: 'not installed from the registry' })
      continue
    }
    dependencies.push({
      ecosystem: 'npm',
      name: parsed.name,
      version: parsed.version,
      dev: graph[key]?.dev ?? (reach.dev.has(key) && !reach.prod.has(key)),
      path: key.replace(/^\//, ''),
      line,
      ...(aliases.has(key) && { alias: aliases.get(key)! })
    })
  }
  return {
    path,
    ecosystem: 'npm',
    format: `pnpm-lock.yaml v${lock.lockfileVersion}`,
    // Deduplicate peer variants of one version: one package, one audit.
    dependencies: dedupe(dependencies),
    unauditable,
    devKnown: true
  }
}

function dedupe(dependencies: Dependency[]): Dependency[] {
  const byKey = new Map<string, Dependency>()
  for (const dependency of dependencies) {
    const key = `${dependency.name}@${dependency.version}`
    const seen = byKey.get(key)
    if (!seen) byKey.set(key, dependency)
    else if (!dependency.dev) byKey.set(key, { ...seen, dev: false })
  }
  return [...byKey.values()]
}
