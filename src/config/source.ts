import { readFile } from 'node:fs/promises'
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit } from 'yaml'
import type { Document, Node } from 'yaml'
import { ConfigError, formatPath } from './errors.js'
import type { ConfigProblem } from './errors.js'

export type DocPath = ReadonlyArray<string | number>

/** A parsed gates file that still knows where every value came from. */
export interface SourceFile {
  /** As the maintainer named it (relative paths stay relative for readable messages). */
  file: string
  value: unknown
  /** Line and column (1-based) of the value at `path`, or of its key when `key` is set. */
  locate(path: DocPath, options?: { key?: boolean }): { line: number; col: number }
  /** A problem located at `path`. */
  problem(path: DocPath, message: string, options?: { key?: boolean }): ConfigProblem
}

/** Reads a file's text; the gates file may come from disk or, on pull requests, from the API at a ref. */
export type TextReader = (absolutePath: string) => Promise<string>

export const readFromDisk: TextReader = (path) => readFile(path, 'utf8')

/**
 * The largest gates file accepted, per file (each file it extends counts on its own): room for
 * some 20,000 gates, and a bound on the time and memory parsing takes before any gate runs.
 */
export const MAX_GATES_FILE_BYTES = 1024 * 1024

/** Reads and parses a YAML file; syntax errors become a ConfigError carrying their positions. */
export async function loadSourceFile(
  file: string,
  displayName = file,
  read: TextReader = readFromDisk
): Promise<SourceFile> {
  let text: string
  try {
    text = await read(file)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    const reason =
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EISDIR'
          ? 'is a directory'
          : (code ?? (error as Error).message)
    throw ConfigError.single(displayName, `cannot read the gates file: ${reason}`)
  }
  const bytes = Buffer.byteLength(text)
  if (bytes > MAX_GATES_FILE_BYTES)
    throw ConfigError.single(
      displayName,
      `the gates file is ${(bytes / 1024 / 1024).toFixed(1)} MiB; at most ${MAX_GATES_FILE_BYTES / 1024 / 1024} MiB is accepted (split it into files joined with 'extends')`
    )
  return parseSourceText(text, displayName)
}

export function parseSourceText(text: string, file: string): SourceFile {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const position = (offset: number): { line: number; col: number } => lineCounter.linePos(offset)

  if (doc.errors.length > 0) {
    const problems = new Map<string, ConfigProblem>()
    for (const error of doc.errors) {
      const quote =
        error.code === 'MISSING_CHAR' ? /closing (["'])quote/.exec(error.message)?.[1] : undefined
      const opened = quote === undefined ? undefined : openingQuote(text, error.pos[0], quote)
      const { line, col } = position(opened ?? error.pos[0])
      const message =
        opened === undefined
          ? `YAML syntax: ${firstLine(error.message)}`
          : `YAML syntax: the ${quote} quote opened here is never closed`
      // One mistake often makes the parser complain several times at the same place.
      const key = `${line}:${col}`
      if (!problems.has(key)) problems.set(key, { file, line, col, path: '', message })
    }
    throw new ConfigError([...problems.values()])
  }

  const locate: SourceFile['locate'] = (path, options = {}) => {
    const node = findNode(doc, path, options.key ?? false)
    const offset = node?.range?.[0]
    return offset === undefined ? { line: 1, col: 1 } : position(offset)
  }
  const value = toValue(doc, file, position)
  return {
    file,
    value,
    locate,
    problem(path, message, options) {
      return { file, ...locate(path, options), path: namedPath(path, value), message }
    }
  }
}

/**
 * `gates[lint].with.run` rather than `gates[0].with.run`: a gate is known by its id (an
 * extending file's gates[0] is not the merged file's).
 */
function namedPath(path: DocPath, value: unknown): string {
  const gates = (value as { gates?: unknown } | null)?.gates
  const id =
    path[0] === 'gates' && typeof path[1] === 'number' && Array.isArray(gates)
      ? (gates[path[1]] as { id?: unknown } | undefined)?.id
      : undefined
  if (typeof id !== 'string' || !id) return formatPath(path)
  const rest = formatPath(path.slice(2))
  return `gates[${id}]${rest && !rest.startsWith('[') ? `.${rest}` : rest}`
}

/** Aliases expanded at most this often: more is a "billion laughs" file, not a gates file. */
const MAX_ALIAS_COUNT = 100

/** The document as plain data; an alias that names no anchor, or that multiplies, is the user's mistake. */
function toValue(
  doc: Document,
  file: string,
  position: (offset: number) => { line: number; col: number }
): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT }) ?? null
  } catch (error) {
    if (!(error instanceof ReferenceError)) throw error
    let unresolved: { source: string; offset: number } | undefined
    let first: { source: string; offset: number } | undefined
    visit(doc, {
      Alias(_, node) {
        const at = { source: node.source, offset: node.range?.[0] ?? 0 }
        first ??= at
        if (!node.resolve(doc)) {
          unresolved = at
          return visit.BREAK
        }
        return undefined
      }
    })
    const where = unresolved ?? first
    const { line, col } = where ? position(where.offset) : { line: 1, col: 1 }
    const message = unresolved
      ? `YAML alias '*${unresolved.source}' names no anchor: define '&${unresolved.source}' before it`
      : `YAML aliases expand to more than ${MAX_ALIAS_COUNT} nodes (from '*${first?.source ?? '?'}' on): aliases that multiply are refused`
    throw new ConfigError([{ file, line, col, path: '', message }])
  }
}

/** The deepest node along `path` (a missing tail falls back to its nearest existing parent). */
function findNode(doc: Document, path: DocPath, wantKey: boolean): Node | undefined {
  let node: unknown = doc.contents
  let keyNode: unknown
  for (const part of path) {
    keyNode = undefined
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(part)
      )
      if (!pair) break
      keyNode = pair.key
      node = pair.value ?? pair.key
    } else if (isSeq(node) && typeof part === 'number' && node.items[part] !== undefined) {
      node = node.items[part]
    } else {
      break
    }
  }
  const chosen = wantKey && keyNode ? keyNode : node
  return isNode(chosen) ? chosen : undefined
}

/**
 * yaml reports an unclosed quote where the file ends; the maintainer needs where it opened:
 * the last line before the end with an odd number of that quote character.
 */
function openingQuote(text: string, end: number, quote: string): number | undefined {
  let lineEnd = end
  while (lineEnd > 0) {
    const lineStart = text.lastIndexOf('\n', lineEnd - 1) + 1
    const line = text.slice(lineStart, lineEnd)
    const count = line.split(quote).length - 1
    if (count % 2 === 1) return lineStart + line.lastIndexOf(quote)
    lineEnd = lineStart - 1
  }
  return undefined
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')
}
