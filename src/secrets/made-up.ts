import { placeholderByWords, wordsOf } from '../util/placeholders.js'

/**
 * Words that, inside a secret-named setting's value, say a person made the value up for a test,
 * a demo or the docs: the value names what it is (`SecurePass@123456`, `TestPassword123!`) or
 * marks itself as a stand-in (`Welcome123`, `admin_demo_2024`). Real keys are random; real
 * passwords a person chose (`thisIsDog11`) rarely call themselves a password.
 */
const STAND_IN_WORDS = new Set([
  // what the value is
  'password',
  'passwd',
  'passw',
  'pass',
  'pwd',
  'secret',
  'token',
  'key',
  'apikey',
  'credential',
  'credentials',
  // what it stands in for
  'test',
  'tests',
  'testing',
  'demo',
  'example',
  'sample',
  'dummy',
  'fake',
  'mock',
  'placeholder',
  'default',
  'temp',
  'foo',
  'bar',
  'baz',
  'qux',
  'hello',
  'welcome',
  'admin',
  'root',
  'guest',
  'user',
  'qwerty',
  'letmein',
  'secure',
  'strong',
  'changeme',
  'your',
  'my'
])

/** Modular-crypt password hashes (bcrypt, sha-crypt, argon2, scrypt, pbkdf2): what is stored. */
const PASSWORD_HASH = /^\$(?:2[abxy]?|5|6|7|y|gy|argon2(?:id|i|d)|scrypt|pbkdf2(?:-[a-z0-9]+)?)\$/

/** `path/to/private.pem`, `vivr/production`: lower-case words between slashes name a thing. */
const SLASHED_NAME = /^[a-z]+(?:[._-][a-z0-9]+)*(?:\/[a-z]+(?:[._-][a-z0-9]+)*)+$/

/**
 * Why a secret-named setting's value was made up rather than issued, if it was: a password hash
 * (what a seed file stores: `$2a$10$…`), a slashed name, an instruction or placeholder by its
 * words (`generate-with-openssl-rand-base64-32`, `ChangeMe123!@#`), or a value built of a few
 * words and digits of which one is a stand-in word. Only keyword-anchored rules ask: a vendor
 * format (`sk_live_…`, `ghp_…`) is evidence enough, in tests and docs too.
 */
export function madeUpReason(secret: string): string | undefined {
  if (PASSWORD_HASH.test(secret)) return 'a password hash'
  if (SLASHED_NAME.test(secret)) return 'a path or name'
  const byWords = placeholderByWords(secret)
  if (byWords) return byWords
  const standIn = standInWord(secret)
  return standIn ? `made of words, one of them "${standIn}"` : undefined
}

/**
 * The stand-in word of a value built of at most five words and digit runs (`Secure`, `Pass`,
 * `123456`), if it has one. Each word must read as one: two letters or more, with a vowel unless
 * it is a stand-in word (`pwd`), at most 14 letters. A random token splits into many short
 * pieces (`ab67014c-ea9a-…`), or has long runs no word has.
 */
function standInWord(secret: string): string | undefined {
  const words = wordsOf(secret)
  if (!words.length || words.length > 5) return undefined
  let standIn: string | undefined
  for (const word of words) {
    if (/^\d+$/.test(word)) continue
    if (STAND_IN_WORDS.has(word)) {
      standIn ??= word
      continue
    }
    if (word.length < 2 || word.length > 14 || !/[aeiouy]/.test(word)) return undefined
  }
  return standIn
}
