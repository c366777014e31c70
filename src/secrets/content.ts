import type { OUTSIDE_LINK } from '../util/inside.js'
import { basename } from 'node:path'
import { checkPkcs12 } from './pkcs12.js'
import type { SecretRule } from './rule.js'
import { scanText } from './scan.js'
import type { ScanOptions, SecretMatch } from './scan.js'

/** Lockfiles whose integrity and checksum lines are hashes, not secrets. */
const LOCKFILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
  'composer.lock',
  'Gemfile.lock',
  'poetry.lock',
  'Cargo.lock',
  'go.sum'
])
const LOCKFILE_HASH_LINE =
  /^\s*"?(?:integrity|checksum|resolution|shasum|hash|content-hash)"?\s*[:=]|\bsha(?:1|256|512)-[A-Za-z0-9+/=]{20,}|^\S+ v\d\S* h1:/

export interface ContentVerdict {
  /** Why the file was not scanned, when it was not. */
  skipped?: 'binary' | 'minified' | 'too large' | typeof OUTSIDE_LINK
  matches: SecretMatch[]
}

export interface ContentOptions extends ScanOptions {
  maxFileSize: number
  skipMinified: boolean
}

/**
 * Scans one file's bytes: binary files, minified bundles and files over the size cap are skipped;
 * a lockfile's hash lines are not searched.
 */
export function scanContent(
  bytes: Buffer,
  path: string,
  rules: SecretRule[],
  options: ContentOptions
): ContentVerdict {
  if (bytes.length > options.maxFileSize) return { skipped: 'too large', matches: [] }
  if (isBinary(bytes)) return { skipped: 'binary', matches: keyStoreMatches(bytes, rules) }
  const text = bytes.toString('utf8')
  if (options.skipMinified && isMinified(path, text)) return { skipped: 'minified', matches: [] }
  return { matches: scanText(text, rules, textOptions(path, options)) }
}

/** How a file's text is searched: a lockfile's hash lines are not. */
export function textOptions(path: string, options: ScanOptions): ScanOptions {
  return LOCKFILES.has(basename(path)) ? { ...options, skipLine: LOCKFILE_HASH_LINE } : options
}

/** A NUL in the first 8,000 bytes, or more than 1 % control characters there. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8000).includes(0) || !isUtf8Text(bytes)
}

/**
 * A binary file is searched only as a key store: a PKCS#12 file that opens with a well-known
 * password is reported at its first byte. Its secret, for the fingerprint and the preview, is
 * the store's MAC, which the key determines; the password is a published default.
 */
function keyStoreMatches(bytes: Buffer, rules: SecretRule[]): SecretMatch[] {
  if (bytes[0] !== 0x30) return []
  for (const rule of rules) {
    if (!rule.pkcs12Passwords) continue
    const verdict = checkPkcs12(bytes, rule.pkcs12Passwords)
    if (verdict.kind === 'default-password')
      return [{ ruleId: rule.id, line: 1, column: 1, endColumn: 1, secret: verdict.mac }]
  }
  return []
}

/** Text with more than 1 % control characters (other than tab and line ends) is binary. */
function isUtf8Text(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 8000).toString('latin1')
  // eslint-disable-next-line no-control-regex
  const controls = sample.match(/[\x00-\x08\x0e-\x1f]/g)?.length ?? 0
  return controls <= sample.length / 100
}

/** `*.min.js`, source maps, or long lines on average: a bundle, not source anyone wrote. */
export function isMinified(path: string, text: string): boolean {
  if (/\.min\.(?:js|mjs|cjs|css)$|\.(?:js|css)\.map$/.test(path)) return true
  if (text.length < 4096) return false
  const lines = text.split('\n', 200)
  const sampled = lines.reduce((total, line) => total + line.length, 0)
  return sampled / lines.length > 500
}
