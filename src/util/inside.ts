import { realpathSync } from 'node:fs'
import { isAbsolute, relative, sep } from 'node:path'

const realRoots = new Map<string, string>()

/** Whether `path` lies in `root` (or is it), by name: the one test every path from a gates file passes. */
export function isInside(root: string, path: string): boolean {
  const shown = relative(root, path)
  return shown !== '..' && !shown.startsWith(`..${sep}`) && !isAbsolute(shown)
}

/**
 * Whether `absolute`, with every link in it resolved, leads out of `root`: a tracked symlink to
 * `/home/runner/.ssh/id_rsa` is not repository content, and no gate reads through it. A path that
 * does not resolve (a dangling link) leads nowhere and is not outside.
 */
export function leadsOutside(root: string, absolute: string): boolean {
  let realRoot = realRoots.get(root)
  if (realRoot === undefined) {
    realRoot = realpathSync.native(root)
    realRoots.set(root, realRoot)
  }
  let real: string
  try {
    // Once per scanned file: the native call resolves the path in one go, where the JS one
    // lstats every component.
    real = realpathSync.native(absolute)
  } catch {
    return false
  }
  return !isInside(realRoot, real)
}

/** The reason shown for files not read because they link out of the repository. */
export const OUTSIDE_LINK = 'links out of the repository (not followed)'
