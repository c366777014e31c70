import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { loadSecretRules } from '../../src/secrets/rules.js'
import { PIECE_BYTES, scanFile } from '../../src/secrets/scan-file.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-scan-file-')
afterAll(temp.cleanup)
const rules = loadSecretRules()
const options = { maxFileSize: 64, skipMinified: true }

describe('scanFile', () => {
  writeTree(temp.dir, {
    'small.env': 'STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb\n',
    'large.env': `${'# filler\n'.repeat(20)}STRIPE_SECRET_KEY=sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb\n`
  })

  it('scans a file within the size cap', () => {
    expect(scanFile(temp.dir, 'small.env', rules, options)?.matches).toEqual([
      expect.objectContaining({ ruleId: 'stripe-secret-key', line: 1 })
    ])
  })

  it('skips a file over the cap by its size', () => {
    expect(scanFile(temp.dir, 'large.env', rules, options)).toEqual({
      skipped: 'too large',
      matches: []
    })
  })

  it('passes over a missing file, a directory and a named pipe without waiting on it', () => {
    execFileSync('mkfifo', [join(temp.dir, 'pipe')])
    expect(scanFile(temp.dir, 'deleted.env', rules, options)).toBeUndefined()
    expect(scanFile(temp.dir, '.', rules, options)).toBeUndefined()
    expect(scanFile(temp.dir, 'pipe', rules, options)).toBeUndefined()
  })
})

describe('scanFile, a file larger than a piece', () => {
  const GITHUB = 'ghp_R7mQ2xK9vLp4sT8wN3bY6cF1hJ5dG0aZeU2i'
  const STRIPE = 'sk_live_4eC39HqLyjWDarjtT1zdp7dcQ9vN2mRb'
  const filler = 'é'.repeat(20) + ' INSERT INTO orders VALUES (1, 2, 3);\n'
  const fillerBytes = Buffer.byteLength(filler)

  it('finds every secret once, with its line: across a cut, after it, at the end, inside a line longer than a piece', () => {
    // The token line starts 20 bytes before the first piece ends: it crosses the cut.
    const first = `const first = '${GITHUB}'\n`
    const before = Math.floor((PIECE_BYTES - 200) / fillerBytes)
    const pad = PIECE_BYTES - 20 - Buffer.byteLength(first) - before * fillerBytes - 1
    const lines = [
      first.trimEnd(),
      ...Array<string>(before).fill(filler.trimEnd()),
      '#'.repeat(pad),
      `const acrossTheCut = '${STRIPE}'`,
      ...Array<string>(before).fill(filler.trimEnd()),
      // One line longer than a piece, with a token after the piece's worth of it.
      `${'x'.repeat(PIECE_BYTES + 100)} '${GITHUB}'`,
      `const last = '${STRIPE}'`
    ]
    writeTree(temp.dir, { 'dump.sql': `${lines.join('\n')}\n` })
    const verdict = scanFile(temp.dir, 'dump.sql', rules, {
      maxFileSize: 64 * 1024 * 1024,
      skipMinified: false
    })
    expect(verdict?.skipped).toBeUndefined()
    expect(verdict?.matches.map((match) => [match.ruleId, match.line])).toEqual([
      ['github-token', 1],
      ['stripe-secret-key', before + 3],
      ['github-token', 2 * before + 4],
      ['stripe-secret-key', 2 * before + 5]
    ])
  })

  it('a large binary or minified file is skipped as a small one is', () => {
    writeTree(temp.dir, {
      'blob.bin': Buffer.alloc(PIECE_BYTES + 10, 0).toString('latin1'),
      'bundle.js': `${'var a=1;'.repeat(PIECE_BYTES / 4)}\n`
    })
    const large = { maxFileSize: 64 * 1024 * 1024, skipMinified: true }
    expect(scanFile(temp.dir, 'blob.bin', rules, large)?.skipped).toBe('binary')
    expect(scanFile(temp.dir, 'bundle.js', rules, large)?.skipped).toBe('minified')
  })
})
