import { afterAll, describe, expect, it } from '@jest/globals'
import { main } from '../src/cli/main.js'
import { tempDir, writeTree } from './helpers/fs.js'

const temp = tempDir()
afterAll(temp.cleanup)

describe('CLI main, in process', () => {
  it('an unexpected error is exit 3, reported as a bug, without a stack unless --debug', async () => {
    writeTree(temp.dir, {
      '.github/release-gates.yml':
        'version: 1\ngates:\n  - id: a\n    check: command\n    with: { run: "true" }\n'
    })
    let stderr = ''
    const brokenStdout = {
      write: () => {
        throw new Error('stdout closed')
      }
    }
    const io = {
      stdout: brokenStdout,
      stderr: { write: (text: string) => (stderr += text) },
      env: { PATH: process.env.PATH },
      cwd: temp.dir
    }
    expect(await main(['run', '--no-progress'], io)).toBe(3)
    expect(stderr).toContain('release-gates: internal error: stdout closed')
    expect(stderr).toContain('This is a bug in release-gates, not in your gates file')
    expect(stderr).not.toMatch(/\n\s+at /)
    stderr = ''
    expect(await main(['run', '--no-progress', '--debug'], io)).toBe(3)
    expect(stderr).toMatch(/\n\s+at /)
  })
})
