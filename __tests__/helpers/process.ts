import { spawnSync } from 'node:child_process'
import { resolve } from 'node:path'

export const CLI = resolve('dist/cli.js')
export const ACTION = resolve('dist/index.js')

export interface ProcessResult {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs a bundle with node as a separate process (what users and the runner do). */
export function runNode(
  script: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv }
): ProcessResult {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    timeout: 60_000
  })
  return { code: result.status, stdout: result.stdout, stderr: result.stderr }
}
