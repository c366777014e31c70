import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { glob } from 'tinyglobby'
import type { Dependency, Lockfile } from '../dependencies/model.js'
import { pypiName } from '../dependencies/names.js'

/** Where a dependency's licence was read. */
export interface FoundLicense {
  text?: string
  source: string
}

type Legacy = string | { type?: string } | Array<string | { type?: string }>

/** npm's `license`, or the legacy `license: {type}` / `licenses: [{type}]` (joined with OR). */
export function manifestLicense(manifest: {
  license?: Legacy
  licenses?: Legacy
}): string | undefined {
  const one = (value: string | { type?: string } | undefined) =>
    typeof value === 'string' ? value : value?.type
  const field = manifest.license ?? manifest.licenses
  if (Array.isArray(field)) {
    const types = field.map(one).filter(Boolean) as string[]
    return types.length > 1 ? `(${types.join(' OR ')})` : types[0]
  }
  return one(field)
}

/**
 * Each npm dependency's licence: the lockfile's `license` (package-lock v2+), else the installed
 * package.json (node_modules/<path>, or pnpm's node_modules/.pnpm/<name>@<version>/…).
 */
export async function npmLicenses(
  root: string,
  lockfile: Lockfile
): Promise<Map<Dependency, FoundLicense>> {
  const dir = dirname(join(root, lockfile.path))
  const found = new Map<Dependency, FoundLicense>()
  await Promise.all(
    lockfile.dependencies.map(async (dependency) => {
      if (dependency.license)
        return found.set(dependency, { text: dependency.license, source: lockfile.path })
      const candidates = [
        dependency.path.startsWith('node_modules/')
          ? dependency.path
          : `node_modules/${dependency.alias ?? dependency.name}`,
        `node_modules/.pnpm/${dependency.name.replace('/', '+')}@${dependency.version}/node_modules/${dependency.name}`
      ]
      for (const candidate of candidates) {
        try {
          const manifest = JSON.parse(
            await readFile(join(dir, candidate, 'package.json'), 'utf8')
          ) as {
            version?: string
            license?: Legacy
            licenses?: Legacy
          }
          if (manifest.version !== dependency.version) continue
          return found.set(dependency, {
            text: manifestLicense(manifest),
            source: `${candidate}/package.json`
          })
        } catch {
          // not installed here
        }
      }
      found.set(dependency, { source: 'not installed: no package.json to read' })
    })
  )
  return found
}

/** One installed distribution's METADATA: PEP 639's License-Expression, else License, else classifiers. */
export function metadataLicense(metadata: string): string | undefined {
  const header = metadata.split(/\r?\n\r?\n/)[0] ?? ''
  const field = (name: string) =>
    header
      .split(/\r?\n/)
      .find((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim()
  const expression = field('License-Expression')
  if (expression) return expression
  const license = field('License')
  // Some projects paste the whole licence text into License: not an identifier.
  if (license && license !== 'UNKNOWN' && license.length < 80 && !license.includes('\n'))
    return license
  const classifiers = header
    .split(/\r?\n/)
    .filter((line) => /^Classifier: License :: /i.test(line))
    .map((line) => line.replace(/^Classifier: License :: (OSI Approved :: )?/i, '').trim())
    .filter((name) => name !== 'OSI Approved')
  return classifiers.length ? classifiers.join(' OR ') : undefined
}

/**
 * Each PyPI dependency's licence from the installed distributions (`*.dist-info/METADATA`) in
 * the site-packages directories given, or a virtualenv's beside the lockfile (.venv, venv).
 */
export async function pypiLicenses(
  root: string,
  lockfile: Lockfile,
  sitePackages: string[] | undefined
): Promise<Map<Dependency, FoundLicense>> {
  const dir = dirname(join(root, lockfile.path))
  const places = sitePackages
    ? sitePackages.map((path) => join(root, path))
    : await glob(['.venv/lib/python*/site-packages', 'venv/lib/python*/site-packages'], {
        cwd: dir,
        onlyDirectories: true,
        absolute: true
      })
  const installed = new Map<string, { metadata: string; source: string }>()
  for (const place of places) {
    for (const path of await glob('*.dist-info/METADATA', { cwd: place })) {
      const match = /^(.+)-([^-]+)\.dist-info\//.exec(path)
      if (!match) continue
      installed.set(`${pypiName(match[1]!)}@${match[2]}`, {
        metadata: await readFile(join(place, path), 'utf8'),
        source: join(place, path).slice(root.length + 1)
      })
    }
  }
  const found = new Map<Dependency, FoundLicense>()
  for (const dependency of lockfile.dependencies) {
    const distribution = installed.get(`${pypiName(dependency.name)}@${dependency.version}`)
    found.set(
      dependency,
      distribution
        ? { text: metadataLicense(distribution.metadata), source: distribution.source }
        : {
            source: places.length
              ? `not installed in ${places.length === 1 ? 'the' : 'any'} site-packages`
              : 'no site-packages found (install into .venv, or give site-packages)'
          }
    )
  }
  return found
}
