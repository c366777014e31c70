import type { Dependency, Lockfile, Unauditable } from '../model.js'
import { pypiName } from '../names.js'

/** A requirements file read: its pins, what cannot be audited, and the files it includes. */
export interface Requirements extends Lockfile {
  /** `-r other.txt` and `-c constraints.txt`, as written (relative to this file). */
  includes: string[]
}

// PEP 508: a name, optional [extras], a version specifier list or `@ url`, optional `; markers`.
const REQUIREMENT =
  /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*?)\s*(?:;(.*))?$/

/**
 * A pip requirements file (`requirements*.txt`): only exact pins (`name==1.2.3`, `===`) say what
 * is installed; every other line that installs something (a range, no version, a URL, an
 * editable, a local path) is reported as unauditable, never skipped.
 */
export function readRequirements(path: string, text: string): Requirements {
  const dependencies: Dependency[] = []
  const unauditable: Unauditable[] = []
  const includes: string[] = []
  const physical = text.split(/\r?\n/)
  for (let index = 0; index < physical.length; index++) {
    const line = index + 1
    let logical = physical[index]!
    // A trailing backslash continues the line (hashes are often written so).
    while (logical.endsWith('\\') && index + 1 < physical.length)
      logical = logical.slice(0, -1) + ' ' + physical[++index]!
    // A comment starts at `#` at the line's start or after whitespace (URLs keep their #fragment).
    const content = logical.replace(/(^|\s)#.*$/, '').trim()
    if (!content) continue
    const include = /^(?:-r|--requirement|-c|--constraint)(?:\s+|=)(\S+)/.exec(content)
    if (include) {
      includes.push(include[1]!)
      continue
    }
    if (/^(-e|--editable)\b/.test(content)) {
      unauditable.push({ line, text: content, reason: 'an editable install: no released version' })
      continue
    }
    // Other options (--index-url, --extra-index-url, --find-links, --pre, …) install nothing.
    if (content.startsWith('-')) continue
    const requirement = content.replace(/\s--hash[=\s]\S+/g, '').trim()
    if (/^(\.|\/|[a-z+]+:\/\/)/i.test(requirement)) {
      unauditable.push({ line, text: requirement, reason: 'a path or URL: no released version' })
      continue
    }
    const match = REQUIREMENT.exec(requirement)
    if (!match) {
      unauditable.push({ line, text: requirement, reason: 'not a requirement pip would read' })
      continue
    }
    const specifier = (match[3] ?? '').replace(/^\((.*)\)$/, '$1').trim()
    if (specifier.startsWith('@')) {
      unauditable.push({
        line,
        text: requirement,
        reason: 'installed from a URL: no released version'
      })
      continue
    }
    const pin = /^===?\s*([^\s,*]+)$/.exec(specifier)
    if (!pin) {
      unauditable.push({
        line,
        text: requirement,
        reason: specifier
          ? `not pinned (${specifier}): the installed version is not known`
          : 'not pinned: the installed version is not known'
      })
      continue
    }
    dependencies.push({
      ecosystem: 'PyPI',
      name: pypiName(match[1]!),
      version: pin[1]!,
      // requirements-dev.txt and friends say by their name what they are for.
      dev: isDevFile(path),
      path: `${pypiName(match[1]!)}==${pin[1]}`,
      line
    })
  }
  return {
    path,
    ecosystem: 'PyPI',
    format: 'requirements file',
    dependencies,
    unauditable,
    devKnown: true,
    includes
  }
}

/** A requirements file for development only, by the names projects give them. */
export function isDevFile(path: string): boolean {
  return /(^|[/_.-])(dev|develop|development|test|tests|testing|lint|docs)([._-]|\.txt$)/i.test(
    path.split('/').pop() ?? ''
  )
}
