import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { tempDir, writeTree } from './helpers/fs.js'
import { isRunning } from './helpers/plan.js'
import { CLI } from './helpers/process.js'

const temp = tempDir()
afterAll(temp.cleanup)

describe('interrupting the CLI', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s stops every running gate’s processes before exiting',
    async (signal) => {
      const pidFile = join(temp.dir, `${signal}.pid`)
      writeTree(temp.dir, {
        [`${signal}.yml`]: `version: 1\ngates:\n  - id: hang\n    check: command\n    with: { run: 'sleep 60 & echo $! > ${pidFile}; wait' }\n`
      })
      const child = spawn(process.execPath, [CLI, 'run', '-c', `${signal}.yml`, '--no-progress'], {
        cwd: temp.dir,
        stdio: ['ignore', 'pipe', 'pipe']
      })
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const exited = new Promise<number | null>((resolve) =>
        child.on('exit', (code) => resolve(code))
      )

      const deadline = Date.now() + 10_000
      while (
        !(existsSync(pidFile) && readFileSync(pidFile, 'utf8').trim()) &&
        Date.now() < deadline
      )
        await new Promise((resolve) => setTimeout(resolve, 50))
      const sleeper = Number(readFileSync(pidFile, 'utf8').trim())
      expect(isRunning(sleeper)).toBe(true)

      child.kill(signal)
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143)
      expect(stderr).toContain(`${signal}: stopping every running gate`)
      await new Promise((resolve) => setTimeout(resolve, 200))
      expect(isRunning(sleeper)).toBe(false)
    }
  )
})
