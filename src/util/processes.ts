import { readdirSync, readFileSync } from 'node:fs'

/**
 * The environment marker every process a gate starts carries, inherited by whatever it starts in
 * turn (as the GitHub runner tags a job's processes with RUNNER_TRACKING_ID). A process that
 * leaves its process group (`setsid`, a daemon) still carries it, so it can be found and killed.
 */
export const TRACKING_VARIABLE = 'RELEASE_GATES_TRACKING_ID'

/** Tags of this process's commands start with this, so an interrupt can find all of them. */
export const RUN_TAG = `rg-${process.pid}-${Date.now().toString(36)}`

/**
 * Pids of the live processes whose tag starts with `prefix`, read from /proc (Linux). Elsewhere
 * nothing can be read and only process groups are killed (README: "Nothing outlives its gate").
 */
export function findTagged(prefix: string): number[] {
  let entries: string[]
  try {
    entries = readdirSync('/proc')
  } catch {
    return []
  }
  const needle = `${TRACKING_VARIABLE}=${prefix}`
  const found: number[] = []
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue
    let environ: string
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1')
    } catch {
      continue // gone, or not ours to read
    }
    if (environ.split('\0').some((item) => item.startsWith(needle))) found.push(Number(entry))
  }
  return found
}

/** Sends `signal` to every live process tagged with `prefix`; returns how many there were. */
export function killTagged(prefix: string, signal: NodeJS.Signals = 'SIGKILL'): number {
  const pids = findTagged(prefix)
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // Already gone.
    }
  }
  return pids.length
}
