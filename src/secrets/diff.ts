/** Lines a change adds to one file, with their line numbers in the new version. */
export interface AddedLines {
  /** The commit that added them (history mode). */
  commit?: string
  path: string
  lines: Array<{ line: number; text: string }>
}

/**
 * Parses `git diff --unified=0` or `git log -p --unified=0 --format=commit:%H` output into the
 * lines each file gains. Deleted files, binary files and removed lines contribute nothing.
 */
export function parseAddedLines(diff: string): AddedLines[] {
  const files: AddedLines[] = []
  let commit: string | undefined
  let current: AddedLines | undefined
  let next = 0
  for (const raw of diff.split('\n')) {
    if (raw.startsWith('commit:')) {
      commit = raw.slice('commit:'.length).trim()
      current = undefined
    } else if (raw.startsWith('diff --git ')) {
      current = undefined
    } else if (raw.startsWith('+++ ')) {
      const target = raw.slice(4)
      if (target === '/dev/null') current = undefined
      else {
        current = {
          ...(commit && { commit }),
          path: unquote(target).replace(/^b\//, ''),
          lines: []
        }
        files.push(current)
      }
    } else if (raw.startsWith('@@')) {
      next = Number(/\+(\d+)/.exec(raw)?.[1] ?? 0)
    } else if (current && raw.startsWith('+')) {
      current.lines.push({ line: next++, text: raw.slice(1) })
    } else if (current && raw.startsWith(' ')) {
      next++
    }
  }
  return files.filter((file) => file.lines.length)
}

/** git quotes unusual paths C-style: "b/caf\303\251.txt". */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path
  const bytes: number[] = []
  const body = path.slice(1, -1)
  for (let index = 0; index < body.length; index++) {
    const character = body[index]!
    if (character !== '\\') {
      bytes.push(...Buffer.from(character))
      continue
    }
    const escaped = body[++index]!
    if (/[0-7]/.test(escaped)) {
      bytes.push(parseInt(body.slice(index, index + 3), 8))
      index += 2
    } else
      bytes.push(
        ({ n: 10, t: 9, '"': 34, '\\': 92 } as Record<string, number>)[escaped] ??
          escaped.charCodeAt(0)
      )
  }
  return Buffer.from(bytes).toString('utf8')
}
