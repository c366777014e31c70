import { createHash, scrypt } from 'node:crypto'
import { promisify } from 'node:util'
import { shannonEntropy } from './entropy.js'
import { VENDOR_PREFIX } from './placeholders.js'

const scryptAsync = promisify(scrypt) as (
  password: string,
  salt: string,
  length: number,
  options: { N: number }
) => Promise<Buffer>

/**
 * What a report may show of a secret: at most its first four and last four characters, fewer for
 * short ones (never more than a quarter of it on each side), e.g. `sk_l…9f3a`.
 */
export function secretPreview(secret: string): string {
  const characters = [...secret]
  const shown = Math.min(4, Math.floor(characters.length / 4))
  if (shown === 0) return '…'
  return `${characters.slice(0, shown).join('')}…${characters.slice(-shown).join('')}`
}

/**
 * A value nobody can guess: after its vendor prefix, at least 128 bits by the spread of its
 * characters (Shannon entropy × length, with at least 4 bits a character, which words and
 * repeats do not reach). Issued keys are such values; the passwords people choose are not.
 */
export function isUnguessable(secret: string): boolean {
  // A vendor prefix is the same in every token of its kind: it adds nothing to guess.
  const body = secret.replace(VENDOR_PREFIX, '')
  const perCharacter = shannonEntropy(body)
  return perCharacter >= 4 && perCharacter * [...body].length >= 128
}

/**
 * A finding's identity for baselines: rule, file and secret, so it survives the line moving but
 * not the secret changing, and a short password cannot be guessed back from it cheaply. A token
 * a service issued (`issued`: its rule says so) or a value nobody can guess is hashed with
 * SHA-256 (microseconds: trying values is hopeless however fast each try is); any other, a
 * password a person may have chosen, through scrypt (N = 1024, about 2.5 ms and 1 MiB a try),
 * in libuv's thread pool, off the main thread.
 */
export async function secretFingerprint(
  rule: { id: string; issued: boolean },
  path: string,
  secret: string
): Promise<string> {
  const salt = `release-gates\0${rule.id}\0${path}`
  if (rule.issued || isUnguessable(secret))
    return createHash('sha256').update(`${salt}\0${secret}`).digest('hex').slice(0, 32)
  return (await scryptAsync(secret, salt, 16, { N: 1024 })).toString('hex')
}
