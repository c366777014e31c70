import { access, constants } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { repoPath } from './paths.js'

/** Directories from `start` up to `root`, nearest first (a monorepo package, then its root). */
export function upTo(root: string, start: string): string[] {
  const dirs: string[] = []
  let dir = start
  for (;;) {
    dirs.push(dir)
    if (dir === root || dirname(dir) === dir) return dirs
    dir = dirname(dir)
  }
}

/**
 * The project's own tool binary (`node_modules/.bin/<bin>`), nearest first. Never a global one:
 * a gate must check with the version the project pins.
 */
export async function findProjectBin(
  root: string,
  start: string,
  bin: string,
  packageName: string
): Promise<string> {
  for (const dir of upTo(root, start)) {
    const candidate = join(dir, 'node_modules', '.bin', bin)
    try {
      await access(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here; try the parent
    }
  }
  throw new Error(
    `${packageName} is not installed in ${repoPath(root, start)}: install the project's dependencies first`
  )
}

export type PackageManager = 'npm' | 'pnpm' | 'yarn' | 'bun'

const LOCKFILES: Array<[string, PackageManager]> = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm']
]

/** The package manager whose lockfile is nearest; npm when there is none. */
export async function detectPackageManager(root: string, start: string): Promise<PackageManager> {
  for (const dir of upTo(root, start)) {
    for (const [file, manager] of LOCKFILES) {
      try {
        await access(join(dir, file))
        return manager
      } catch {
        // keep looking
      }
    }
  }
  return 'npm'
}
