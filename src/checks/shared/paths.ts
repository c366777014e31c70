import { relative, resolve } from 'node:path'
import { isInside, leadsOutside } from '../../util/inside.js'

/**
 * Resolves a path from a gates file against the repository root. Paths that leave the
 * root are refused, by name or through a symbolic link: a gates file proves things about its own
 * repository.
 */
export function resolveInside(root: string, path: string): string {
  const absolute = resolve(root, path)
  if (!isInside(root, absolute)) {
    throw new Error(`${path} is outside the repository (${root})`)
  }
  if (leadsOutside(root, absolute))
    throw new Error(`${path} is a link out of the repository: it is not followed`)
  return absolute
}

/** Resolves a path given relative to `dir` (a gate's cwd), refusing one that leaves the root. */
export function resolveFrom(root: string, dir: string, path: string): string {
  return resolveInside(root, relative(root, resolve(dir, path)))
}

/** Forward-slash path relative to the root, as annotations want it. */
export function repoPath(root: string, absolute: string): string {
  return relative(root, absolute).split('\\').join('/') || '.'
}
