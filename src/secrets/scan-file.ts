import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs'
import { join } from 'node:path'
import { leadsOutside, OUTSIDE_LINK } from '../util/inside.js'
import { isBinary, isMinified, scanContent, textOptions } from './content.js'
import type { ContentOptions, ContentVerdict } from './content.js'
import type { SecretRule } from './rule.js'
import type { SecretMatch } from './scan.js'
import { scanText } from './scan.js'

/**
 * A file larger than this is read and searched a piece at a time, each piece with the start of
 * the next (`OVERLAP_BYTES`) so that a secret across the cut is seen whole: memory is bounded by
 * the piece, whatever the size of the file and of the size cap.
 */
export const PIECE_BYTES = 4 * 1024 * 1024
/** More than any secret spans: a PEM private key of 16,384 bits is about 12 KB. */
export const OVERLAP_BYTES = 64 * 1024

/**
 * Reads one file under `root` and scans it. A file over the size cap is skipped by its size,
 * before any of it is read; a large one is read in pieces. Undefined when the file cannot be read
 * (tracked but deleted in the working tree, or a submodule). A link out of the repository is
 * never followed.
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
    if (stats.size <= PIECE_BYTES)
      return scanContent(readFileSync(descriptor), path, rules, options)
    return scanInPieces(descriptor, path, rules, options)
  } catch {
    return undefined
  } finally {
    closeSync(descriptor)
  }
}

/**
 * Searches a large file piece by piece. A piece ends at its last line end (inside a line only
 * when one line is longer than a piece, then at a character boundary); it is searched with the
 * next `OVERLAP_BYTES` after it, and reports only the matches that start inside it.
 */
function scanInPieces(
  descriptor: number,
  path: string,
  rules: SecretRule[],
  options: ContentOptions
): ContentVerdict {
  const buffer = Buffer.allocUnsafe(PIECE_BYTES + OVERLAP_BYTES)
  const matches: SecretMatch[] = []
  const searchOptions = textOptions(path, options)
  let position = 0
  let linesBefore = 0
  for (;;) {
    const length = readFully(descriptor, buffer, position)
    if (length === 0) break
    const last = length < buffer.length
    if (position === 0) {
      if (isBinary(buffer.subarray(0, length))) return { skipped: 'binary', matches: [] }
      if (
        options.skipMinified &&
        isMinified(path, buffer.toString('utf8', 0, Math.min(length, 256 * 1024)))
      )
        return { skipped: 'minified', matches: [] }
    }
    const own =
      last && length <= PIECE_BYTES ? length : cutAt(buffer, Math.min(PIECE_BYTES, length))
    const end = last ? length : cutAt(buffer, length)
    const piece = buffer.toString('utf8', 0, own)
    const text = end > own ? piece + buffer.toString('utf8', own, end) : piece
    for (const match of scanText(text, rules, { ...searchOptions, reportBefore: piece.length }))
      matches.push({ ...match, line: match.line + linesBefore })
    for (
      let index = buffer.indexOf(10);
      index !== -1 && index < own;
      index = buffer.indexOf(10, index + 1)
    )
      linesBefore++
    position += own
    if (last && own === length) break
  }
  return { matches }
}

/** Reads up to the buffer's length from `position`, however many reads that takes. */
function readFully(descriptor: number, buffer: Buffer, position: number): number {
  let total = 0
  while (total < buffer.length) {
    const read = readSync(descriptor, buffer, total, buffer.length - total, position + total)
    if (read === 0) break
    total += read
  }
  return total
}

/**
 * Where to cut `buffer` before `limit`: after its last line end, else (one line longer than the
 * piece) at the last UTF-8 character boundary.
 */
function cutAt(buffer: Buffer, limit: number): number {
  const newline = buffer.lastIndexOf(10, limit - 1)
  if (newline !== -1) return newline + 1
  let cut = limit
  while (cut > 0 && (buffer[cut]! & 0xc0) === 0x80) cut--
  return cut
}
