import { realpathSync } from 'node:fs'
import { isAbsolute, relative } from 'node:path'

const realRoots = new Map<string, string>()

/**
 * Whether `absolute`, with every link in it resolved, leads out of `root`: a tracked symlink to
 * `/home/runner/.ssh/id_rsa` is not repository content, and no gate reads through it. A path that
 * does not resolve (a dangling link) leads nowhere and is not outside.
 */
export function leadsOutside(root: string, absolute: string): boolean {
  let realRoot = realRoots.get(root)
  if (realRoot === undefined) {
    realRoot = realpathSync(root)
    realRoots.set(root, realRoot)
  }
  let real: string
  try {
    real = realpathSync(absolute)
  } catch {
    return false
  }
  const shown = relative(realRoot, real)
  return shown.startsWith('..') || isAbsolute(shown)
}

/** The reason shown for files not read because they link out of the repository. */
export const OUTSIDE_LINK = 'links out of the repository (not followed)'
