import { readFile } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { parse as parseToml } from 'smol-toml'
import type { Dependency, Lockfile } from './model.js'
import { pypiName } from './names.js'
import { projectManifests } from './read.js'

/** A dependency the project itself declares, with what its lockfile installed. */
export interface DirectDependency {
  dependency: Dependency
  /** Declared among development dependencies only. */
  dev: boolean
}

/**
 * The direct dependencies of a lockfile's project: what its manifests declare (package.json and
 * its workspaces'; pyproject.toml for poetry.lock; Pipfile for Pipfile.lock; a requirements
 * file's pins are its own declarations), each with the version the lockfile installed.
 * undefined: this ecosystem's manifests are not read.
 */
export async function directDependencies(
  root: string,
  lockfile: Lockfile
): Promise<DirectDependency[] | undefined> {
  const dir = dirname(join(root, lockfile.path))
  const name = basename(lockfile.path)
  if (lockfile.ecosystem === 'npm') {
    const manifests = await projectManifests(dir)
    const declared = new Map<string, boolean>()
    for (const manifest of manifests) {
      for (const group of ['dependencies', 'optionalDependencies', 'devDependencies'] as const)
        for (const [dependency, range] of Object.entries(manifest[group] ?? {})) {
          // Workspaces and local packages are the project, not a registry's.
          if (/^(workspace:|file:|link:|portal:)/.test(range)) continue
          declared.set(
            dependency,
            (declared.get(dependency) ?? true) && group === 'devDependencies'
          )
        }
    }
    return pick(lockfile, declared, (dependency) => dependency.alias ?? dependency.name)
  }
  if (lockfile.ecosystem !== 'PyPI') return undefined
  if (name.endsWith('.txt'))
    return lockfile.dependencies.map((dependency) => ({ dependency, dev: dependency.dev === true }))
  const declared = new Map<string, boolean>()
  const add = (names: Iterable<string>, dev: boolean) => {
    for (const entry of names) {
      const normal = pypiName(entry)
      if (normal !== 'python') declared.set(normal, (declared.get(normal) ?? true) && dev)
    }
  }
  if (name === 'poetry.lock') {
    const project = await readToml(join(dir, 'pyproject.toml'))
    const poetry = (project.tool as { poetry?: Record<string, unknown> } | undefined)?.poetry ?? {}
    add(Object.keys((poetry.dependencies as object | undefined) ?? {}), false)
    add(Object.keys((poetry['dev-dependencies'] as object | undefined) ?? {}), true)
    for (const [group, table] of Object.entries(
      (poetry.group as Record<string, { dependencies?: object }> | undefined) ?? {}
    ))
      add(Object.keys(table.dependencies ?? {}), group !== 'main')
    // PEP 621: "flask>=2.3" strings.
    const pep621 = (project.project as { dependencies?: string[] } | undefined)?.dependencies ?? []
    add(
      pep621.map((requirement) => /^[A-Za-z0-9._-]+/.exec(requirement)?.[0] ?? requirement),
      false
    )
  } else if (name === 'Pipfile.lock') {
    const pipfile = await readToml(join(dir, 'Pipfile'))
    add(Object.keys((pipfile.packages as object | undefined) ?? {}), false)
    add(Object.keys((pipfile['dev-packages'] as object | undefined) ?? {}), true)
  } else return undefined
  return pick(lockfile, declared, (dependency) => pypiName(dependency.name))
}

/** Each declared name's installed entry: the shallowest one (npm hoists it to the top). */
function pick(
  lockfile: Lockfile,
  declared: Map<string, boolean>,
  nameOf: (dependency: Dependency) => string
): DirectDependency[] {
  const chosen = new Map<string, Dependency>()
  for (const dependency of lockfile.dependencies) {
    const name = nameOf(dependency)
    if (!declared.has(name)) continue
    const seen = chosen.get(name)
    if (!seen || dependency.path.length < seen.path.length) chosen.set(name, dependency)
  }
  return [...chosen].map(([name, dependency]) => ({ dependency, dev: declared.get(name)! }))
}

async function readToml(path: string): Promise<Record<string, unknown>> {
  try {
    return parseToml(await readFile(path, 'utf8')) as Record<string, unknown>
  } catch {
    return {}
  }
}
