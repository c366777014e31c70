import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { exec } from '../../src/util/exec.js'
import { findTagged, TRACKING_VARIABLE } from '../../src/util/processes.js'
import { tempDir, writeTree } from '../helpers/fs.js'
import { isRunning } from '../helpers/plan.js'
import { CLI } from '../helpers/process.js'

const temp = tempDir('rg-orphans-')
const strays: number[] = []
afterAll(() => {
  for (const pid of strays) if (isRunning(pid)) process.kill(pid, 'SIGKILL')
  temp.cleanup()
})

async function pidFrom(file: string): Promise<number> {
  const deadline = Date.now() + 10_000
  while (!(existsSync(file) && readFileSync(file, 'utf8').trim()) && Date.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 25))
  const pid = Number(readFileSync(file, 'utf8').trim())
  strays.push(pid)
  return pid
}

/** Runs the CLI bundle and resolves when it exits, with how long it took. */
function runCli(config: string): Promise<{ code: number | null; stdout: string; ms: number }> {
  const started = Date.now()
  const child = spawn(process.execPath, [CLI, 'run', '-c', config, '--no-progress'], {
    cwd: temp.dir,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  return new Promise((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, ms: Date.now() - started }))
  )
}

describe('nothing a gate starts outlives it', () => {
  it('a timed-out gate’s setsid child is killed, and the CLI exits within seconds', async () => {
    const pidFile = join(temp.dir, 'escaped.pid')
    writeTree(temp.dir, {
      'timeout.yml': [
        'version: 1',
        'gates:',
        '  - id: escapes',
        '    check: command',
        '    timeout: 2s',
        `    with: { run: "setsid sh -c 'echo $$ > ${pidFile}; sleep 1000' & sleep 1001" }`,
        ''
      ].join('\n')
    })
    const run = runCli('timeout.yml')
    const escaped = await pidFrom(pidFile)
    expect(isRunning(escaped)).toBe(true)
    const { code, stdout, ms } = await run
    expect(code).toBe(1)
    expect(stdout).toContain('Timed out after 2.0s')
    // The setsid child left the gate's process group and held the CLI's pipes: it is gone now.
    expect(isRunning(escaped)).toBe(false)
    expect(ms).toBeLessThan(15_000)
  }, 30_000)

  it('a daemon left behind by a command that passed is killed when the command exits', async () => {
    const pidFile = join(temp.dir, 'daemon.pid')
    writeTree(temp.dir, {
      'daemon.yml': [
        'version: 1',
        'gates:',
        '  - id: leaves-a-daemon',
        '    check: command',
        `    with: { run: "setsid sh -c 'echo $$ > ${pidFile}; exec sleep 1000' & while [ ! -s ${pidFile} ]; do sleep 0.05; done; echo started" }`,
        ''
      ].join('\n')
    })
    const { code, stdout } = await runCli('daemon.yml')
    expect(code).toBe(0)
    expect(stdout).toContain('passed')
    const daemon = await pidFrom(pidFile)
    expect(isRunning(daemon)).toBe(false)
  }, 30_000)

  it('every process carries the gate’s tag, and a command’s result does not wait on an orphan’s pipes', async () => {
    const tag = `test-${process.pid}-tagged`
    const seen = await exec(`echo "$${TRACKING_VARIABLE}"`, { shell: true, tag })
    expect(seen.stdout.trim()).toMatch(new RegExp(`^${tag}/\\d+$`))

    // An orphan that scrubbed its environment and left the group cannot be found by its tag;
    // it still holds stdout, and the result comes anyway, a moment after the command exited.
    const pidFile = join(temp.dir, 'scrubbed.pid')
    const started = Date.now()
    const result = await exec(
      `env -i setsid sh -c 'echo $$ > ${pidFile}; exec sleep 1000' & while [ ! -s ${pidFile} ]; do sleep 0.05; done; echo done`,
      { shell: true, tag, closeGraceMs: 300 }
    )
    const scrubbed = await pidFrom(pidFile)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('done')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(findTagged(tag)).toEqual([])
    process.kill(scrubbed, 'SIGKILL')
  }, 30_000)
})
