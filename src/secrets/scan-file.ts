import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { leadsOutside, OUTSIDE_LINK } from '../util/inside.js'
import { scanContent } from './content.js'
import type { ContentOptions, ContentVerdict } from './content.js'
import type { SecretRule } from './rule.js'

/**
 * Reads one file under `root` and scans it. A file over the size cap is skipped by its size,
 * before any of it is read: memory stays bounded by the cap, however large the file. Undefined
 * when the file cannot be read (tracked but deleted in the working tree, or a submodule). A link
 * out of the repository is never followed.
 */
export function scanFile(
  root: string,
  path: string,
  rules: SecretRule[],
  options: ContentOptions
): ContentVerdict | undefined {
  if (leadsOutside(root, join(root, path))) return { skipped: OUTSIDE_LINK, matches: [] }
  let descriptor: number
  try {
    // Non-blocking: a named pipe in the tree must not hang the scan (it is then not a file).
    descriptor = openSync(join(root, path), constants.O_RDONLY | constants.O_NONBLOCK)
  } catch {
    return undefined
  }
  try {
    const stats = fstatSync(descriptor)
    if (!stats.isFile()) return undefined
    if (stats.size > options.maxFileSize) return { skipped: 'too large', matches: [] }
    return scanContent(readFileSync(descriptor), path, rules, options)
  } catch {
    return undefined
  } finally {
    closeSync(descriptor)
  }
}
