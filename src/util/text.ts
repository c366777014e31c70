import { stripVTControlCharacters } from 'node:util'

/** A tool's output without the control sequences colourful tools write (CSI and OSC forms). */
export function stripAnsi(text: string): string {
  return stripVTControlCharacters(text)
}

/** A fenced code block whose fence is longer than any backtick run inside it. */
export function codeBlock(text: string, language = 'text'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}${language}\n${text}\n${fence}`
}

/** Escapes a value for a markdown table cell. */
export function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/**
 * User text (a gate's name, a title naming a glob) made safe for inline markdown: emphasis,
 * links and HTML characters are escaped outside code spans, so `src/**\/*.ts` in a bold title
 * stays text; code spans the checks wrote (`` `npm test` passed ``) are kept as they are.
 */
export function inline(text: string): string {
  return text
    .split(/(`+[^`]*?`+)/)
    .map((part, index) =>
      index % 2 === 1 ? part : part.replace(/[\\*_[\]<>~#!]/g, (character) => `\\${character}`)
    )
    .join('')
}

/** User text for a markdown table cell: `inline`, with pipes escaped and lines joined. */
export function inlineCell(text: string): string {
  return inline(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}

/** "All 3 file rules" / "The file rule": a count of everything, as a sentence subject. */
export function allOf(count: number, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? `The ${singular}` : `All ${count} ${pluralForm}`
}
