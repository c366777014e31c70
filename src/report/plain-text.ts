/**
 * Markdown summaries read as plain text on a terminal: tables become aligned columns,
 * emphasis and inline-code marks are dropped, code fences vanish but keep their content.
 */
export function markdownToText(markdown: string): string {
  const out: string[] = []
  let table: string[][] = []
  const flushTable = (): void => {
    if (!table.length) return
    const widths = table[0]!.map((_, column) =>
      Math.max(...table.map((row) => (row[column] ?? '').length))
    )
    for (const row of table)
      out.push(
        row
          .map((text, column) => text.padEnd(widths[column]!))
          .join('  ')
          .trimEnd()
      )
    table = []
  }
  for (const line of markdown.split('\n')) {
    if (/^\s*\|.*\|\s*$/.test(line)) {
      if (/^\s*\|(\s*:?-+:?\s*\|)+\s*$/.test(line)) continue
      table.push(splitRow(line).map(inline))
      continue
    }
    flushTable()
    if (/^\s*(`{3,}|~{3,})/.test(line)) continue
    out.push(inline(line.replace(/^>\s?/, '')))
  }
  flushTable()
  return out.join('\n').replace(/\n{3,}/g, '\n\n')
}

function splitRow(line: string): string[] {
  const cells = line
    .trim()
    .slice(1, -1)
    .split(/(?<!\\)\|/)
  return cells.map((text) => text.trim().replace(/\\\|/g, '|'))
}

function inline(text: string): string {
  return text.replace(/\*\*([^*]+)\*\*/g, '$1').replace(/`([^`]+)`/g, '$1')
}
