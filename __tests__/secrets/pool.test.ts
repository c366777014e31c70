import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { scanFiles, workerScript } from '../../src/secrets/pool.js'
import { toPortable } from '../../src/secrets/rule.js'
import { loadSecretRules } from '../../src/secrets/rules.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-secrets-pool-')
afterAll(temp.cleanup)

describe('scanFiles', () => {
  it('worker threads (the bundled dist/secrets-worker.js) find exactly what this thread finds', async () => {
    expect(existsSync(workerScript())).toBe(true)
    const files: Record<string, string> = {}
    for (let index = 0; index < 300; index++)
      files[`src/file-${index}.ts`] =
        index % 37 === 0
          ? `export const key = 'sk_live_${String(index).padStart(4, '0')}Hq7Rk2LmN8pVx4TcWz9Yb3Fd'\n`
          : `export const value${index} = ${index}\n`
    files['bundle.min.js'] = `var k="sk_live_9pQ2wE7rT4yU1iO6pA3sD8fG";`
    writeTree(join(temp.dir, 'tree'), files)
    const setup = {
      root: join(temp.dir, 'tree'),
      rules: loadSecretRules().map(toPortable),
      allow: [],
      maxFileSize: 1024 * 1024,
      skipMinified: true
    }
    const paths = [...Object.keys(files), 'deleted-since-listing.ts']
    const signal = new AbortController().signal
    const threaded = await scanFiles(setup, paths, signal, 2)
    const here = await scanFiles(setup, paths, signal, 'this-thread')
    const key = (match: { path: string; line: number; ruleId: string }) =>
      `${match.path}:${match.line}:${match.ruleId}`
    expect(threaded.matches.map(key).sort()).toEqual(here.matches.map(key).sort())
    expect(threaded.matches).toHaveLength(9)
    expect(threaded).toMatchObject({ scanned: 300, skipped: { minified: 1 } })
  })

  it('stops when the gate’s time runs out', async () => {
    const controller = new AbortController()
    controller.abort(new Error('timed out'))
    await expect(
      scanFiles(
        { root: temp.dir, rules: [], allow: [], maxFileSize: 1024, skipMinified: true },
        Array.from({ length: 200 }, (_, index) => `f${index}`),
        controller.signal,
        2
      )
    ).rejects.toThrow('timed out')
  })
})
