import { scryptSync } from 'node:crypto'

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
 * A finding's identity for baselines: rule, file and secret, through scrypt, so it survives the
 * line moving but not the secret changing, and a short password cannot be guessed back from it
 * cheaply.
 */
export function secretFingerprint(ruleId: string, path: string, secret: string): string {
  return scryptSync(secret, `release-gates\0${ruleId}\0${path}`, 16, { N: 1024 }).toString('hex')
}
