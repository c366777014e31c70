import { placeholderReason } from '../util/placeholders.js'

/** A token's vendor prefix (`ghp_`, `sk_live_`, `dckr_pat_`, `xoxb-`): the rest is its value. */
export const VENDOR_PREFIX = /^(?:[A-Za-z0-9]{1,10}[_-]){1,3}/

/**
 * A match that only stands in for a secret. Placeholders as the `env` gate knows them
 * (`changeme`, `your_…`, `<…>`, `${…}`, `process.env.X`, one character repeated), also after a
 * vendor prefix (`ghp_your_token`); masked or filler values (`xxxxxx`, `****`, `####`, `…`,
 * AWS's `…EXAMPLE`, `[PASSWORD]`); template expressions (`{{ .Values.password }}`, `${TOKEN}`, `$(PASS)`).
 */
export function isPlaceholderSecret(secret: string): boolean {
  if (/\$[{(]|\{\{|%\(|<[A-Za-z_ -]+>|^\$[A-Za-z_]|^\{[^}]*\}$|\*{3,}|#{4,}|\.{3}|…/.test(secret))
    return true
  if (/x{6,}|X{6,}|EXAMPLE|put[_-]?your|_here\b|\[[A-Z_ ]{3,}\]/.test(secret)) return true
  if (isEncodedProse(secret)) return true
  // Base64 padding is not part of a value's randomness: `glc_1111…1=` is one character repeated.
  const bare = secret.replace(/=+$/, '')
  const values = [bare, bare.replace(VENDOR_PREFIX, '')]
  return values.some(
    (value) =>
      placeholderReason(value) !== undefined ||
      /^(?:(?:my|your|the|some)pass(?:word)?\d*$|password\d*$|x{3,}|your|my[_-]|example|sample|dummy|placeholder|changeme|redacted|replace|insert|fake)/.test(
        value
      )
  )
}

/**
 * A value that names something rather than being a secret: an identifier, a property path, a
 * relative path, an ARN, an expression (`var.db_password`, `!!config.withCredentials`,
 * `DYNATRACE_API_KEY`), a URL query, or a version (`jjwt-jackson-0.11.2`). A word (with digits
 * at its end) is a name (`SensitiveString2048`, `fieldMapping`), unless it is a quoted password.
 * Only the keyword-anchored rules ask: a vendor format is evidence enough.
 */
export function isIdentifierLike(secret: string, quoted = true, passwordKey = false): boolean {
  // A trailing `!` is TypeScript's non-null assertion: `process.env.CLIENT_SECRET!`.
  const value = secret.replace(/[.,;!]+$/, '')
  if (/\d+\.\d+\.\d+/.test(value)) return true
  if (/^[A-Za-z_]{2,}=[A-Za-z_]|&[A-Za-z_-]+=/.test(value)) return true
  if (/^!|===|&&|\|\|/.test(value)) return true
  // `user:token`, `username:password`: names, not credentials.
  if (/^[A-Za-z_]+:[A-Za-z_]*$/.test(value)) return true
  // A word (with digits at its end) is code, unless a quoted password: people pick words
  // (`rootpasswd`); token and key values are never words.
  if (/^[A-Za-z_$]+\d{0,4}$/.test(value) && !(quoted && passwordKey)) return true
  if (/^[A-Za-z_$]+\d{0,2}(?:\.[A-Za-z_$]+\d{0,2})+$|^\.{0,2}\/|^\/\*|^arn:/.test(value))
    return true
  // Words joined by _ . - and no digit: a name, not a random token.
  if (/^[A-Za-z]+(?:[_.-][A-Za-z]+)+[=]?$/.test(value)) return true
  if (/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+=?$/.test(value)) return true
  // snake_case of three or more parts: `auth_provider_x509_cert_url`.
  return /^[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}$/.test(value)
}

/**
 * Base64 that decodes to words and spaces (`ZHVtbXkgdGV4dC…` is "dummy text…"): encoded prose,
 * not a key, whose bytes would be random. `user:pass` has no space and still counts.
 */
function isEncodedProse(value: string): boolean {
  if (value.length < 16 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0)
    return false
  const text = Buffer.from(value, 'base64').toString('latin1')
  return /^[A-Za-z ,.'!?-]+\n?$/.test(text) && text.includes(' ')
}
