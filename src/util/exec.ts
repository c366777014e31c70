import { spawn } from 'node:child_process'
import { killTagged, RUN_TAG, TRACKING_VARIABLE } from './processes.js'

/** What a finished process left behind. Output is capped so a chatty tool cannot exhaust memory. */
export interface ExecResult {
  /** Exit code; null when the process was ended by a signal. */
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  /** stdout and stderr interleaved in arrival order, as a person would have seen them. */
  output: string
  /** True when the process was killed because its time ran out or the caller aborted. */
  killed: boolean
  /** True when a stream exceeded `maxOutputBytes` and its head was dropped. */
  truncated: boolean
  durationMs: number
}

export interface ExecOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
  /** Run `command` (a single string) through `sh -c`. */
  shell?: boolean
  timeoutMs?: number
  signal?: AbortSignal
  /** Keep at most this many bytes of each stream (the tail). */
  maxOutputBytes?: number
  /** Grace period between SIGTERM and SIGKILL to the process group. */
  killGraceMs?: number
  input?: string
  /**
   * The tag of the gate this command belongs to: every process the command starts carries it
   * (TRACKING_VARIABLE), so the engine can kill what outlived the gate, wherever it moved.
   */
  tag?: string
  /** How long to wait for the output pipes to close after the command exited (an orphan may hold them). */
  closeGraceMs?: number
  /** Sees stdout and stderr as they arrive (a test runner's completion line, before it exits). */
  onOutput?: (text: string) => void
}

export type ExecFn = (command: string | string[], options?: ExecOptions) => Promise<ExecResult>

/** Raised when the program could not be started at all (not found, not executable). */
export class SpawnError extends Error {}

const DEFAULT_MAX_OUTPUT = 4 * 1024 * 1024
let commandCount = 0

/**
 * Process groups still running. Each command has its own group (so a timeout kills the whole
 * tree), which also means a Ctrl-C or a cancelled workflow does not reach them: the entry
 * points call `killAllProcessGroups` when they are interrupted.
 */
const liveGroups = new Set<number>()

export function killAllProcessGroups(signal: NodeJS.Signals = 'SIGKILL'): number {
  for (const pid of liveGroups) signalGroup(pid, signal)
  return liveGroups.size + killTagged(RUN_TAG, signal)
}

/**
 * Runs a command in its own process group so that a timeout or abort kills the whole tree
 * (a shell, the tool it started, that tool's workers), not just the direct child. Every process
 * it starts is tagged; when the command exits, whatever it left running (in its group, or tagged
 * and moved elsewhere with `setsid`) is killed, and the result does not wait on pipes an orphan
 * still holds.
 */
export const exec: ExecFn = (command, options = {}) => {
  const argv = Array.isArray(command) ? command : options.shell ? ['sh', '-c', command] : [command]
  const [file, ...args] = argv
  if (!file) return Promise.reject(new SpawnError('empty command'))
  const maxBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT
  const started = Date.now()
  const tag = `${options.tag ?? RUN_TAG}/${++commandCount}`

  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: { ...(options.env ?? process.env), [TRACKING_VARIABLE]: tag },
      detached: true,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    if (child.pid !== undefined) liveGroups.add(child.pid)
    const stdout = new TailBuffer(maxBytes)
    const stderr = new TailBuffer(maxBytes)
    const output = new TailBuffer(maxBytes)
    let killed = false
    let killTimer: NodeJS.Timeout | undefined

    let closeTimer: NodeJS.Timeout | undefined
    let settled = false

    const killTree = (): void => {
      if (killed || child.pid === undefined) return
      killed = true
      signalGroup(child.pid, 'SIGTERM')
      killTagged(tag, 'SIGTERM')
      killTimer = setTimeout(() => {
        signalGroup(child.pid!, 'SIGKILL')
        killTagged(tag)
      }, options.killGraceMs ?? 2000)
    }
    const timeout =
      options.timeoutMs !== undefined ? setTimeout(killTree, options.timeoutMs) : undefined
    const onAbort = (): void => killTree()
    if (options.signal?.aborted) killTree()
    options.signal?.addEventListener('abort', onAbort, { once: true })

    child.stdout!.on('data', (chunk: Buffer) => {
      stdout.push(chunk)
      output.push(chunk)
      options.onOutput?.(chunk.toString('utf8'))
    })
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr.push(chunk)
      output.push(chunk)
      options.onOutput?.(chunk.toString('utf8'))
    })
    if (options.input !== undefined) child.stdin?.end(options.input)

    child.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timeout)
      options.signal?.removeEventListener('abort', onAbort)
      settled = true
      reject(new SpawnError(`cannot run ${file}: ${error.code ?? error.message}`))
    })
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (settled) return
      settled = true
      clearTimeout(timeout)
      clearTimeout(closeTimer)
      clearTimeout(killTimer)
      options.signal?.removeEventListener('abort', onAbort)
      if (child.pid !== undefined) liveGroups.delete(child.pid)
      resolve({
        code,
        signal,
        stdout: stdout.text(),
        stderr: stderr.text(),
        output: output.text(),
        killed,
        truncated: stdout.truncated || stderr.truncated,
        durationMs: Date.now() - started
      })
    }
    child.on('exit', (code, signal) => {
      // The command is done: nothing it started may outlive it, in its group or moved away.
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL')
      killTagged(tag)
      // An orphan that escaped both (a scrubbed environment) may still hold the pipes: read what
      // arrived and stop waiting.
      closeTimer = setTimeout(() => {
        child.stdout?.destroy()
        child.stderr?.destroy()
        finish(code, signal)
      }, options.closeGraceMs ?? 1000)
    })
    child.on('close', finish)
  })
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Keeps the last `limit` bytes written to it. */
class TailBuffer {
  private chunks: Buffer[] = []
  private size = 0
  truncated = false

  constructor(private readonly limit: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk)
    this.size += chunk.length
    while (this.size > this.limit && this.chunks.length > 1) {
      this.size -= this.chunks.shift()!.length
      this.truncated = true
    }
  }

  text(): string {
    const all = Buffer.concat(this.chunks)
    if (all.length <= this.limit) return all.toString('utf8')
    this.truncated = true
    return all.subarray(all.length - this.limit).toString('utf8')
  }
}

/** The last `count` lines of a text, without a trailing empty line. */
export function tailLines(text: string, count: number): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/)
  return lines.slice(Math.max(0, lines.length - count)).join('\n')
}
