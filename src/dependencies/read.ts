import { readFile } from 'node:fs/promises'
import { basename, dirname, join, posix } from 'node:path'
import { glob } from 'tinyglobby'
import type { Ecosystem, Lockfile } from './model.js'
import { LockfileError } from './model.js'
import { readGoMod, readGoSum } from './lockfiles/go.js'
import { readPackageLock } from './lockfiles/package-lock.js'
import { readPnpmLock } from './lockfiles/pnpm-lock.js'
import { readCargoLock, readPipfileLock, readPoetryLock } from './lockfiles/python-locks.js'
import { readRequirements } from './lockfiles/requirements.js'
import type { Manifest } from './lockfiles/yarn-lock.js'
import { readYarnLock } from './lockfiles/yarn-lock.js'

/** The lockfile names read, as globs from any directory. */
export const LOCKFILE_GLOBS = [
  '**/package-lock.json',
  '**/npm-shrinkwrap.json',
  '**/pnpm-lock.yaml',
  '**/yarn.lock',
  '**/requirements*.txt',
  '**/requirements/*.txt',
  '**/poetry.lock',
  '**/Pipfile.lock',
  '**/go.mod',
  '**/go.sum',
  '**/Cargo.lock'
]

/** The ecosystem of a lockfile, by its name; undefined for any other file. */
export function lockfileEcosystem(path: string): Ecosystem | undefined {
  const name = basename(path)
  if (/^(package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|yarn\.lock)$/.test(name))
    return 'npm'
  if (
    /^(poetry\.lock|Pipfile\.lock)$/.test(name) ||
    /(^|\/)requirements[^/]*\.txt$|(^|\/)requirements\/[^/]+\.txt$/.test(path)
  )
    return 'PyPI'
  if (name === 'go.mod' || name === 'go.sum') return 'Go'
  if (name === 'Cargo.lock') return 'crates.io'
  return undefined
}

/** Installed trees, vendored copies and build output: their lockfiles are not the project's. */
const NOT_THE_PROJECT = [
  '**/node_modules/**',
  '**/.git/**',
  '**/vendor/**',
  '**/.venv/**',
  '**/venv/**',
  '**/site-packages/**',
  '**/target/**',
  '**/.yarn/**'
]

/**
 * The lockfiles under `dir` (repository-relative paths, sorted), or those `patterns` name. A
 * go.sum is only read where no go.mod sits beside it.
 */
export async function findLockfiles(
  root: string,
  dir: string,
  patterns?: string[]
): Promise<string[]> {
  const found = await glob(patterns ?? LOCKFILE_GLOBS, {
    cwd: dir,
    ignore: NOT_THE_PROJECT,
    dot: true,
    onlyFiles: true
  })
  const base = posix.normalize(dir.slice(root.length).replace(/^\//, '') || '.')
  const paths = found.map((path) => (base === '.' ? path : `${base}/${path}`)).sort()
  const set = new Set(paths)
  return paths.filter(
    (path) => !(basename(path) === 'go.sum' && set.has(posix.join(posix.dirname(path), 'go.mod')))
  )
}

/**
 * Reads one lockfile (a repository-relative path) with the reader its name calls for; a
 * requirements file comes with the files it includes (`-r`, `-c`), each its own entry.
 */
export async function readLockfile(root: string, path: string): Promise<Lockfile[]> {
  const text = await readText(root, path)
  const name = basename(path)
  if (name === 'package-lock.json' || name === 'npm-shrinkwrap.json')
    return [readPackageLock(path, text)]
  if (name === 'pnpm-lock.yaml') return [readPnpmLock(path, text)]
  if (name === 'yarn.lock')
    return [readYarnLock(path, text, await projectManifests(dirname(join(root, path))))]
  if (name === 'poetry.lock') return [readPoetryLock(path, text)]
  if (name === 'Pipfile.lock') return [readPipfileLock(path, text)]
  if (name === 'go.mod') return [readGoMod(path, text)]
  if (name === 'go.sum') return [readGoSum(path, text)]
  if (name === 'Cargo.lock') return [readCargoLock(path, text)]
  if (name.endsWith('.txt')) return readRequirementsTree(root, path, text)
  throw new LockfileError(path, undefined, 'not a lockfile this gate reads')
}

async function readText(root: string, path: string, includedBy?: string): Promise<string> {
  return readFile(join(root, path), 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new LockfileError(
      includedBy ?? path,
      undefined,
      `cannot read ${includedBy ? `${path}, which it includes` : 'it'}: ${error.code ?? error.message}`
    )
  })
}

async function readRequirementsTree(root: string, path: string, text: string): Promise<Lockfile[]> {
  const read = [readRequirements(path, text)]
  const seen = new Set<string>([path])
  const queue = read[0]!.includes.map(
    (include) => [posix.join(posix.dirname(path), include), path] as const
  )
  while (queue.length) {
    const [next, by] = queue.shift()!
    if (seen.has(next)) continue
    seen.add(next)
    const included = readRequirements(next, await readText(root, next, by))
    read.push(included)
    queue.push(
      ...included.includes.map(
        (include) => [posix.join(posix.dirname(next), include), next] as const
      )
    )
  }
  return read
}

/** The package.json beside a lockfile and those of its workspaces: the roots of its graph. */
export async function projectManifests(dir: string): Promise<Manifest[]> {
  const read = async (file: string) =>
    JSON.parse(await readFile(file, 'utf8')) as Manifest & {
      workspaces?: string[] | { packages?: string[] }
    }
  let root
  try {
    root = await read(join(dir, 'package.json'))
  } catch {
    return []
  }
  const patterns = Array.isArray(root.workspaces)
    ? root.workspaces
    : (root.workspaces?.packages ?? [])
  const workspaces = patterns.length
    ? await glob(
        patterns.map((pattern) => `${pattern.replace(/\/$/, '')}/package.json`),
        {
          cwd: dir,
          ignore: ['**/node_modules/**']
        }
      )
    : []
  const manifests = await Promise.all(
    workspaces.map((file) => read(join(dir, file)).catch(() => ({})))
  )
  return [root, ...manifests]
}
