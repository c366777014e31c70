/**
 * Values that stand in for a real secret or setting: a template was copied but never filled.
 * Shared by the `env` gate (rejects them where a real value is required) and the secret scanner
 * (does not report them).
 */
const PLACEHOLDER_PATTERNS: ReadonlyArray<[RegExp, string]> = [
  [/^(change[-_ ]?me|changeit)$/i, 'a "changeme" placeholder'],
  [/^(your|my)[-_ ][a-z0-9_ -]*$/i, 'a "your_…" placeholder'],
  [/^x{3,}$/i, 'an "xxx" placeholder'],
  [/^<[^>]*>$/, 'a "<…>" placeholder'],
  [/^\$\{[^}]*\}$/, 'an unexpanded "${…}" reference'],
  [/^\$[A-Z_][A-Z0-9_]*$/, 'an unexpanded "$NAME" reference'],
  [/^process\.env\.[A-Za-z_][A-Za-z0-9_]*$/, 'a "process.env.X" reference'],
  [
    /^(example|sample|dummy|placeholder|replace[-_ ]?me|todo|tbd|fixme|test|none|null|undefined|secret|password)$/i,
    'a placeholder word'
  ],
  [
    /^(insert|put|add|enter)[-_ ]?(your|the|a)?[-_ ]?[a-z0-9_-]*[-_ ]?here$/i,
    'a "…here" placeholder'
  ]
]

/**
 * Words that only a stand-in is made of, wherever they appear in it. (`example` and `sample` count
 * only as the whole value: `api.example.com` is a host name.)
 */
const PLACEHOLDER_WORDS = new Set([
  'changeme',
  'changeit',
  'dummy',
  'placeholder',
  'redacted',
  'fixme',
  'todo',
  'tbd'
])

/** Word sequences that say "replace this": instructions, not values. */
const PLACEHOLDER_PHRASES: ReadonlyArray<[string[], string]> = [
  [['change', 'me'], 'change me'],
  [['change', 'this'], 'change this'],
  [['change', 'in', 'production'], 'change in production'],
  [['change', 'before'], 'change before'],
  [['replace', 'me'], 'replace me'],
  [['replace', 'this'], 'replace this'],
  [['replace', 'with'], 'replace with'],
  [['generate', 'with'], 'generate with'],
  [['generate', 'using'], 'generate using'],
  [['fill', 'in'], 'fill in'],
  [['set', 'me'], 'set me'],
  [['not', 'set'], 'not set']
]

/**
 * The words a value is made of: split at separators, at camelCase humps and between letters and
 * digits, lower-cased. `ChangeMe123!@#` → change, me, 123.
 */
export function wordsOf(value: string): string[] {
  return value
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])|([0-9])([A-Za-z])/g, '$1$3 $2$4')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word.toLowerCase())
}

/** Why the words of a value mark it as a stand-in (`dev-secret-change-in-production`), if they do. */
export function placeholderByWords(value: string): string | undefined {
  const words = wordsOf(value)
  const marker = words.find((word) => PLACEHOLDER_WORDS.has(word) || /^x{3,}$/.test(word))
  if (marker) return `made of the word "${marker}"`
  for (const [phrase, name] of PLACEHOLDER_PHRASES)
    for (let start = 0; start + phrase.length <= words.length; start++)
      if (phrase.every((word, offset) => words[start + offset] === word)) return `says "${name}"`
  if (words.length >= 2 && (words[0] === 'your' || words[0] === 'my')) return 'starts with "your"'
  if (words.length >= 2 && words.at(-1) === 'here') return 'ends with "here"'
  return undefined
}

/** Why a value is a placeholder, or undefined when it looks like a real value. */
export function placeholderReason(value: string): string | undefined {
  const trimmed = value.trim()
  for (const [pattern, reason] of PLACEHOLDER_PATTERNS) {
    if (pattern.test(trimmed)) return reason
  }
  if (trimmed.length >= 3 && new Set(trimmed).size === 1) return 'one character repeated'
  return undefined
}

/**
 * A setting's value (the `env` gate) is also a placeholder when its words say so, whatever the
 * case and separators: `dev-secret-change-in-production`, `ChangeMe123!@#`. Not for the secret
 * scanner: there a real key may hold any run of letters, and it must still be reported.
 */
export function settingPlaceholderReason(value: string): string | undefined {
  const whole = placeholderReason(value)
  if (whole) return whole
  const byWords = placeholderByWords(value.trim())
  return byWords ? `a placeholder: ${byWords}` : undefined
}
