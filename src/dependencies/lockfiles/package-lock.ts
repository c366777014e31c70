import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { LineIndex, LockfileError } from '../model.js'

interface V2Entry {
  name?: string
  version?: string
  resolved?: string
  link?: boolean
  dev?: boolean
  license?: string
}

interface V1Entry {
  version?: string
  dev?: boolean
  dependencies?: Record<string, V1Entry>
}

/** A version written as where it came from (npm 6): a path, a link, a repository, a URL. */
const NOT_REGISTRY = /^(file:|link:|git\+|git:|github:|https?:)/

/**
 * Whether `resolved` is a registry's tarball (`…/-/name-1.2.3.tgz`, or absent when npm was told
 * to omit it): anything else (git, a path, another URL) is not the version the registry names.
 */
const fromRegistry = (resolved: string | undefined) =>
  !resolved || /^https?:\/\/[^#?]*\/-\/[^/]+\.tgz([#?].*)?$/.test(resolved)

/**
 * `package-lock.json` / `npm-shrinkwrap.json`, v1 (npm 5–6: a nested `dependencies` tree) and
 * v2–v3 (npm 7+: a flat `packages` map keyed by install path). Aliases (`npm:lodash@4.17.15`)
 * are audited as the package they install.
 */
export function readPackageLock(path: string, text: string): Lockfile {
  let lock: {
    lockfileVersion?: number
    packages?: Record<string, V2Entry>
    dependencies?: Record<string, V1Entry>
  }
  try {
    lock = JSON.parse(text) as typeof lock
  } catch (error) {
    throw new LockfileError(path, undefined, `not JSON: ${(error as Error).message}`)
  }
  if (typeof lock !== 'object' || lock === null || Array.isArray(lock))
    throw new LockfileError(path, 1, 'expected a JSON object with lockfileVersion')
  const lines = new LineIndex(text)
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  const version = lock.lockfileVersion ?? 1
  if (lock.packages) {
    for (const [key, entry] of Object.entries(lock.packages)) {
      // "" is the project; a key without node_modules/ is a workspace's own folder.
      if (!key.includes('node_modules/') || entry.link) continue
      // An entry with neither version nor source installs nothing: npm writes one for a missing
      // optional peer (`"node_modules/eslint/node_modules/@types/estree": { "dev": true }`).
      if (!entry.version && !entry.resolved) continue
      const line = lines.lineOf(`${JSON.stringify(key)}: {`)
      const installedAs = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)
      const name = entry.name ?? installedAs
      if (!entry.version || !fromRegistry(entry.resolved)) {
        unauditable.push({
          line,
          text: key,
          reason: `installed from ${entry.resolved ?? 'no registry version'}, not a registry version`
        })
        continue
      }
      dependencies.push({
        ecosystem: 'npm',
        name,
        version: entry.version,
        dev: entry.dev === true,
        path: key,
        line,
        ...(name !== installedAs && { alias: installedAs }),
        ...(entry.license && { license: entry.license })
      })
    }
  } else if (lock.dependencies) {
    const visit = (tree: Record<string, V1Entry>, parent: string, from: number) => {
      for (const [installedAs, entry] of Object.entries(tree)) {
        const path = `${parent}node_modules/${installedAs}`
        const at = text.indexOf(`${JSON.stringify(installedAs)}: {`, from)
        const line = at < 0 ? 1 : lines.lineAt(at)
        const alias = /^npm:((?:@[^/]+\/)?[^@]+)@(.+)$/.exec(entry.version ?? '')
        const installed = alias ? alias[2]! : entry.version
        if (!installed || NOT_REGISTRY.test(installed)) {
          unauditable.push({
            line,
            text: installedAs,
            reason: `installed from ${installed ?? 'no version'}, not a registry version`
          })
        } else {
          dependencies.push({
            ecosystem: 'npm',
            name: alias ? alias[1]! : installedAs,
            version: installed,
            dev: entry.dev === true,
            path,
            line,
            ...(alias && { alias: installedAs })
          })
        }
        if (entry.dependencies) visit(entry.dependencies, `${path}/`, at < 0 ? from : at)
      }
    }
    visit(lock.dependencies, '', 0)
  }
  return {
    path,
    ecosystem: 'npm',
    format: `${path.split('/').pop()} v${version}`,
    dependencies,
    unauditable,
    devKnown: true
  }
}
