import { relative } from 'node:path'
import type { Dependency, Ecosystem, Lockfile } from './model.js'
import { LockfileError } from './model.js'
import { findLockfiles, readLockfile } from './read.js'

export interface CollectOptions {
  lockfiles?: string[]
  ecosystems?: Ecosystem[]
  omit?: Array<'dev'>
}

export interface Collected {
  lockfiles: Lockfile[]
  /** The dependencies to judge, each with its lockfile. */
  audited: Array<{ lockfile: Lockfile; dependency: Dependency }>
  /** Left out by `omit: [dev]`, and the lockfiles that cannot say which are development-only. */
  omitted: { count: number; unknown: string[] }
}

/** Why there is nothing to judge: never a pass. */
export interface NothingToJudge {
  problem: { title: string; summary: string }
}

/**
 * The lockfiles under `dir` (or those `options.lockfiles` names), read, with the dependencies to
 * judge. No lockfile, or one that does not parse, is a problem with the file and line.
 */
export async function collectDependencies(
  root: string,
  dir: string,
  options: CollectOptions
): Promise<Collected | NothingToJudge> {
  const where = relative(root, dir).split('\\').join('/') || '.'
  const paths = await findLockfiles(root, dir, options.lockfiles)
  if (!paths.length)
    return {
      problem: {
        title: options.lockfiles
          ? `No lockfile matches ${options.lockfiles.join(', ')}`
          : `No lockfile in ${where}`,
        summary: `Nothing says which versions are installed, so nothing can be audited. Commit the lockfile (package-lock.json, pnpm-lock.yaml, yarn.lock, requirements.txt with pinned versions, poetry.lock, Pipfile.lock, go.mod, Cargo.lock)${options.lockfiles ? ', or correct `lockfiles`' : ''}.`
      }
    }
  const lockfiles: Lockfile[] = []
  const seen = new Set<string>()
  for (const path of paths) {
    let read: Lockfile[]
    try {
      read = await readLockfile(root, path)
    } catch (error) {
      if (!(error instanceof LockfileError)) throw error
      return {
        problem: {
          title: `Cannot read ${error.path}${error.line ? `:${error.line}` : ''}`,
          summary: `${error.message}\n\nA lockfile that does not parse says nothing about what is installed, so the gate cannot pass.`
        }
      }
    }
    for (const lockfile of read) {
      if (seen.has(lockfile.path)) continue
      seen.add(lockfile.path)
      if (!options.ecosystems || options.ecosystems.includes(lockfile.ecosystem))
        lockfiles.push(lockfile)
    }
  }
  if (!lockfiles.length)
    return {
      problem: {
        title: `No ${options.ecosystems!.join(' or ')} lockfile in ${where}`,
        summary: `The lockfiles found (${paths.map((path) => `\`${path}\``).join(', ')}) are of other ecosystems than \`ecosystems\` names.`
      }
    }
  const omitDev = options.omit?.includes('dev') ?? false
  const omitted = { count: 0, unknown: [] as string[] }
  const audited: Collected['audited'] = []
  for (const lockfile of lockfiles) {
    if (omitDev && !lockfile.devKnown) omitted.unknown.push(lockfile.path)
    for (const dependency of lockfile.dependencies) {
      if (omitDev && dependency.dev === true) omitted.count++
      else audited.push({ lockfile, dependency })
    }
  }
  return { lockfiles, audited, omitted }
}
