import { existsSync } from 'node:fs'
import { compileUserPattern } from '../util/user-pattern.js'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { Worker } from 'node:worker_threads'
import { catalogDir } from '../config/catalog.js'
import { fromPortable } from './rule.js'
import type { PortableRule } from './rule.js'
import type { SecretMatch } from './scan.js'
import { OVERLAP_BYTES, PIECE_BYTES, scanFile } from './scan-file.js'

/** What every worker is started with: where the files are, and how to scan them. */
export interface WorkerSetup {
  root: string
  rules: PortableRule[]
  allow: string[]
  maxFileSize: number
  skipMinified: boolean
}
export interface WorkerRequest {
  paths: string[]
}
export interface WorkerResult {
  matches: Array<SecretMatch & { path: string }>
  skipped: Record<string, number>
  scanned: number
}

/** Files per message: large enough to amortise messaging, small enough to balance the load. */
const BATCH = 64
/**
 * A worker's old-generation heap: files are scanned one at a time, and a large one a piece at a
 * time, so it only needs room for one piece's text (up to twice its size as UTF-16) and the work
 * on it, whatever the size of the tree, of its largest file and of the size cap.
 */
function workerHeapMb(maxFileSize: number): number {
  const largest = Math.min(maxFileSize, PIECE_BYTES + OVERLAP_BYTES)
  return 12 + 6 * Math.ceil(largest / (1024 * 1024))
}

/** The bundled worker, beside the action's and the CLI's bundles. */
export function workerScript(): string {
  return join(catalogDir(), '..', 'dist', 'secrets-worker.js')
}

/**
 * Scans files on worker threads (one per core, at most one per batch), each reading and scanning
 * one file at a time within a small fixed heap, batches handed out as workers free up; this
 * thread only hands them out. Without the bundled worker (running from source), scans on this
 * thread, yielding between batches.
 */
export async function scanFiles(
  setup: WorkerSetup,
  paths: string[],
  signal: AbortSignal,
  threads: number | 'this-thread' = availableParallelism()
): Promise<WorkerResult> {
  const total: WorkerResult = { matches: [], skipped: {}, scanned: 0 }
  const add = (result: WorkerResult): void => {
    total.matches.push(...result.matches)
    total.scanned += result.scanned
    for (const [why, count] of Object.entries(result.skipped))
      total.skipped[why] = (total.skipped[why] ?? 0) + count
  }
  const script = workerScript()
  // Workers even on one core: a user's rule (`rules-file`, `allow`) that backtracks for minutes is
  // stopped by terminating its worker, which this thread could not do to itself.
  if (threads === 'this-thread' || !existsSync(script)) {
    await scanHere(setup, paths, signal, add)
    return total
  }
  const batches: string[][] = []
  for (let start = 0; start < paths.length; start += BATCH)
    batches.push(paths.slice(start, start + BATCH))
  // Workers only: each has a small fixed heap, where this thread's heap would grow with the scan.
  const workers = Array.from(
    { length: Math.max(1, Math.min(threads, batches.length)) },
    () =>
      new Worker(script, {
        workerData: setup,
        resourceLimits: {
          maxOldGenerationSizeMb: workerHeapMb(setup.maxFileSize),
          maxYoungGenerationSizeMb: 2
        }
      })
  )
  let onAbort: (() => void) | undefined
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason as Error)
    if (signal.aborted) onAbort()
    else signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([
      aborted,
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const next = (): void => {
                if (signal.aborted) return reject(signal.reason as Error)
                const batch = batches.shift()
                if (!batch) return resolve()
                worker.postMessage({ paths: batch } satisfies WorkerRequest)
              }
              worker.on('message', (result: WorkerResult) => {
                add(result)
                next()
              })
              worker.on('error', reject)
              worker.on('exit', (code) => {
                if (code !== 0)
                  reject(new Error(`a secret-scanning worker exited with code ${code}`))
              })
              next()
            })
        )
      )
    ])
  } finally {
    signal.removeEventListener('abort', onAbort!)
    await Promise.all(workers.map((worker) => worker.terminate()))
  }
  return total
}

async function scanHere(
  setup: WorkerSetup,
  paths: string[],
  signal: AbortSignal,
  add: (result: WorkerResult) => void
): Promise<void> {
  const scanner = inThreadScanner(setup)
  for (const [index, path] of paths.entries()) {
    if (signal.aborted) throw signal.reason
    // Other gates share this thread: let them run now and then.
    if (index % BATCH === 0) await yieldToEventLoop()
    add(scanner(path))
  }
}

/** Scans one file on this thread, as a worker would. */
function inThreadScanner(setup: WorkerSetup): (path: string) => WorkerResult {
  const rules = setup.rules.map(fromPortable)
  const options = {
    maxFileSize: setup.maxFileSize,
    skipMinified: setup.skipMinified,
    allow: setup.allow.map((source) => compileUserPattern(source))
  }
  return (path) => {
    const verdict = scanFile(setup.root, path, rules, options)
    if (!verdict) return { matches: [], skipped: {}, scanned: 0 }
    return {
      matches: verdict.matches.map((match) => ({ ...match, path })),
      skipped: verdict.skipped ? { [verdict.skipped]: 1 } : {},
      scanned: verdict.skipped ? 0 : 1
    }
  }
}
