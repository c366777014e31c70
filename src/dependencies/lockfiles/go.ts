import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { LockfileError } from '../model.js'

/** `v1.2.3` → `1.2.3`: OSV writes Go versions without the `v`. */
const osvVersion = (version: string) => version.replace(/^v/, '').replace(/\+incompatible$/, '')

/**
 * `go.mod`: since Go 1.17 it lists every module the build needs (`// indirect` ones too).
 * `replace` directives are applied: a module replaced by another is audited as that one, and
 * one replaced by a local directory cannot be audited.
 */
export function readGoMod(path: string, text: string): Lockfile {
  const requires: Array<{ module: string; version: string; line: number }> = []
  const replaces = new Map<string, { target: string; version?: string; line: number }>()
  let block: string | undefined
  const lines = text.split(/\r?\n/)
  lines.forEach((raw, index) => {
    const line = index + 1
    const content = raw.replace(/\/\/.*$/, '').trim()
    if (!content) return
    if (block) {
      if (content === ')') block = undefined
      else directive(block, content, line)
      return
    }
    const opening = /^(require|replace|exclude|retract|tool|ignore|godebug)\s*\($/.exec(content)
    if (opening) {
      block = opening[1]
      return
    }
    const single = /^(require|replace)\s+(.*)$/.exec(content)
    if (single) directive(single[1]!, single[2]!, line)
  })
  function directive(kind: string, content: string, line: number) {
    const words = content.split(/\s+/).map((word) => word.replace(/^"|"$/g, ''))
    if (kind === 'require') {
      if (words.length < 2 || !/^v\d/.test(words[1]!))
        throw new LockfileError(path, line, `expected "module vX.Y.Z", found "${content}"`)
      requires.push({ module: words[0]!, version: words[1]!, line })
    } else if (kind === 'replace') {
      const arrow = words.indexOf('=>')
      if (arrow < 1)
        throw new LockfileError(path, line, `expected "old => new", found "${content}"`)
      const from = arrow === 2 ? `${words[0]}@${words[1]}` : words[0]!
      replaces.set(from, { target: words[arrow + 1]!, version: words[arrow + 2], line })
    }
  }
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  for (const { module, version, line } of requires) {
    const replaced = replaces.get(`${module}@${version}`) ?? replaces.get(module)
    if (replaced && !replaced.version) {
      unauditable.push({
        line: replaced.line,
        text: `${module} => ${replaced.target}`,
        reason: 'replaced by a local directory'
      })
      continue
    }
    const name = replaced?.target ?? module
    const used = replaced?.version ?? version
    dependencies.push({
      ecosystem: 'Go',
      name,
      version: osvVersion(used),
      path: `${name}@${used}`,
      line: replaced?.line ?? line
    })
  }
  return { path, ecosystem: 'Go', format: 'go.mod', dependencies, unauditable, devKnown: false }
}

/**
 * `go.sum` alone (no go.mod beside it): it holds the checksums of every module version the
 * build may have used, so every version listed is audited (more than the build may use: never less).
 */
export function readGoSum(path: string, text: string): Lockfile {
  const dependencies: Dependency[] = []
  const seen = new Set<string>()
  text.split(/\r?\n/).forEach((raw, index) => {
    const content = raw.trim()
    if (!content) return
    const match = /^(\S+)\s+(v[^\s/]+)(\/go\.mod)?\s+h1:\S+$/.exec(content)
    if (!match)
      throw new LockfileError(
        path,
        index + 1,
        `expected "module version h1:hash", found "${content}"`
      )
    const key = `${match[1]}@${match[2]}`
    if (match[3] || seen.has(key)) return
    seen.add(key)
    dependencies.push({
      ecosystem: 'Go',
      name: match[1]!,
      version: osvVersion(match[2]!),
      path: key,
      line: index + 1
    })
  })
  return { path, ecosystem: 'Go', format: 'go.sum', dependencies, unauditable: [], devKnown: false }
}
