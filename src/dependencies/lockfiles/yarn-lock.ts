import { parseSyml } from '@yarnpkg/parsers'
import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { devOnly, LineIndex, LockfileError } from '../model.js'

/** What a package.json declares, the roots of the walk that tells dev-only packages apart. */
export interface Manifest {
  dependencies?: Record<string, string>
  devDependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

interface Entry {
  version?: string
  resolved?: string
  resolution?: string
  languageName?: string
  linkType?: string
  dependencies?: Record<string, string>
  optionalDependencies?: Record<string, string>
}

/** `old@npm:lodash@4.17.15` → lodash; `@a/b@^1` → @a/b. */
function nameOfDescriptor(descriptor: string): string {
  const alias = /@npm:((?:@[^/@]+\/)?[^@]+)@/.exec(descriptor)
  if (alias) return alias[1]!
  return descriptor.slice(0, descriptor.indexOf('@', 1))
}

/**
 * `yarn.lock` of yarn 1 (its own format) and yarn 2+ (YAML with `__metadata`), both read with
 * yarn's own parser. Which packages are development-only comes from walking the lockfile's
 * dependency graph from the manifests' dependencies and devDependencies; without manifests the
 * lockfile does not say.
 */
export function readYarnLock(path: string, text: string, manifests: Manifest[]): Lockfile {
  let lock: Record<string, Entry & { version?: string | number }>
  try {
    lock = parseSyml(text) as typeof lock
  } catch (error) {
    const line = /line (\d+)/.exec((error as Error).message)?.[1]
    throw new LockfileError(path, line ? Number(line) : undefined, (error as Error).message)
  }
  const berry = '__metadata' in lock
  const lines = new LineIndex(text)
  const byDescriptor = new Map<string, string>()
  for (const key of Object.keys(lock))
    for (const descriptor of key.split(/,\s*/)) byDescriptor.set(descriptor.trim(), key)
  const lookup = (name: string, range: string) =>
    byDescriptor.get(`${name}@${range}`) ??
    (berry && !/^[a-z]+:/.test(range) ? byDescriptor.get(`${name}@npm:${range}`) : undefined)
  const edges = (key: string) =>
    Object.entries({ ...lock[key]?.dependencies, ...lock[key]?.optionalDependencies }).flatMap(
      ([name, range]) => lookup(name, range) ?? []
    )
  const roots = (group: keyof Manifest) =>
    manifests.flatMap((manifest) =>
      Object.entries(manifest[group] ?? {}).flatMap(([name, range]) => lookup(name, range) ?? [])
    )
  const reach = devOnly(
    [...roots('dependencies'), ...roots('optionalDependencies')],
    roots('devDependencies'),
    edges
  )
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  for (const [key, entry] of Object.entries(lock)) {
    if (key === '__metadata') continue
    const first = key.split(/,\s*/)[0]!
    const at = Math.max(text.indexOf(`\n"${first}`), text.indexOf(`\n${first}`))
    const line = at < 0 ? 1 : lines.lineAt(at + 1)
    // Workspaces are the project itself.
    if (berry && (entry.linkType === 'soft' || /@workspace:/.test(entry.resolution ?? ''))) continue
    const resolution = entry.resolution ?? ''
    const fromRegistry = berry
      ? /^(@[^/]+\/)?[^@]+@npm:/.test(resolution) ||
        /^(@[^/]+\/)?[^@]+@patch:.*npm%3A/.test(resolution)
      : !entry.resolved || /^https?:\/\/[^#]*\/-\/[^/]+\.tgz/.test(entry.resolved)
    const name = berry
      ? resolution.startsWith('@')
        ? `@${resolution.slice(1).split('@')[0]}`
        : resolution.split('@')[0]!
      : nameOfDescriptor(first)
    const version = entry.version === undefined ? undefined : String(entry.version)
    if (!fromRegistry || !version || !name) {
      unauditable.push({
        line,
        text: first,
        reason: `not installed from the registry (${entry.resolution ?? entry.resolved ?? 'no resolution'})`
      })
      continue
    }
    const installedAs = first.slice(0, first.indexOf('@', 1))
    dependencies.push({
      ecosystem: 'npm',
      name,
      version,
      ...(manifests.length && { dev: reach.dev.has(key) && !reach.prod.has(key) }),
      path: `${name}@${version}`,
      line,
      ...(installedAs !== name && { alias: installedAs })
    })
  }
  return {
    path,
    ecosystem: 'npm',
    format: berry
      ? `yarn.lock (yarn 2+, v${String(lock.__metadata?.version)})`
      : 'yarn.lock (yarn 1)',
    dependencies,
    unauditable,
    devKnown: manifests.length > 0
  }
}
