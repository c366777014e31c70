import { createHash, scryptSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { isUnguessable, secretFingerprint } from '../../src/secrets/redact.js'

const GITHUB = 'ghp_R7mQ2xK9vLp4sT8wN3bY6cF1hJ5dG0aZeU2i'
const GITHUB_RULE = { id: 'github-token', issued: true }
const GENERIC_RULE = { id: 'generic-secret', issued: false }
const salt = (rule: string, path: string) => `release-gates\0${rule}\0${path}`

describe('secret fingerprints', () => {
  it('an issued token, or a value nobody can guess, is hashed fast; a value a person could have chosen stays behind scrypt', async () => {
    expect(isUnguessable(GITHUB)).toBe(true)
    expect(isUnguessable('sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb')).toBe(true)
    for (const guessable of [
      'Summer2024!Summer2024!',
      'CorrectHorseBatteryStaple2024!',
      'pcIXcfYtRzj66jtG!h',
      'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    ])
      expect(isUnguessable(guessable)).toBe(false)
    expect(await secretFingerprint(GITHUB_RULE, 'a.ts', GITHUB)).toBe(
      createHash('sha256')
        .update(`${salt('github-token', 'a.ts')}\0${GITHUB}`)
        .digest('hex')
        .slice(0, 32)
    )
    // Found by the generic rule, a long random value is still hashed fast; `glpat-` + 20 is not
    // long enough to prove it by itself, but its rule says GitLab issued it.
    expect(await secretFingerprint(GENERIC_RULE, 'a.ts', GITHUB)).toMatch(/^[0-9a-f]{32}$/)
    expect(await secretFingerprint(GENERIC_RULE, 'a.ts', GITHUB)).toBe(
      createHash('sha256')
        .update(`${salt('generic-secret', 'a.ts')}\0${GITHUB}`)
        .digest('hex')
        .slice(0, 32)
    )
    expect(isUnguessable('glpat-Xk9mQ2vLpR7wT4sN8bZ3')).toBe(false)
    expect(await secretFingerprint(GENERIC_RULE, 'a.ts', 'pcIXcfYtRzj66jtG!h')).toBe(
      scryptSync('pcIXcfYtRzj66jtG!h', salt('generic-secret', 'a.ts'), 16, { N: 1024 }).toString(
        'hex'
      )
    )
  })

  it('survives the line moving, not the secret, the file or the rule changing', async () => {
    const base = await secretFingerprint(GITHUB_RULE, 'a.ts', GITHUB)
    expect(await secretFingerprint(GITHUB_RULE, 'a.ts', GITHUB)).toBe(base)
    expect(await secretFingerprint(GITHUB_RULE, 'b.ts', GITHUB)).not.toBe(base)
    expect(await secretFingerprint(GENERIC_RULE, 'a.ts', GITHUB)).not.toBe(base)
    expect(await secretFingerprint(GITHUB_RULE, 'a.ts', `${GITHUB.slice(0, -1)}j`)).not.toBe(base)
  })
})
