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

/** Why a value is a placeholder, or undefined when it looks like a real value. */
export function placeholderReason(value: string): string | undefined {
  const trimmed = value.trim()
  for (const [pattern, reason] of PLACEHOLDER_PATTERNS) {
    if (pattern.test(trimmed)) return reason
  }
  if (trimmed.length >= 3 && new Set(trimmed).size === 1) return 'one character repeated'
  return undefined
}
