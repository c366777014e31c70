import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { loadSecretRules } from '../../src/secrets/rules.js'
import { scanFile } from '../../src/secrets/scan-file.js'
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
