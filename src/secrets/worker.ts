// A secret-scanning worker thread: reads and scans the files it is sent, one at a time, and
// answers with what it found. Bundled as dist/secrets-worker.js; see pool.ts.
import { parentPort, workerData } from 'node:worker_threads'
import { compileUserPattern } from '../util/user-pattern.js'
import { fromPortable } from './rule.js'
import { scanFile } from './scan-file.js'
import type { WorkerRequest, WorkerResult, WorkerSetup } from './pool.js'

const setup = workerData as WorkerSetup
const rules = setup.rules.map(fromPortable)
const options = {
  maxFileSize: setup.maxFileSize,
  skipMinified: setup.skipMinified,
  allow: setup.allow.map((source) => compileUserPattern(source))
}

parentPort!.on('message', (request: WorkerRequest) => {
  const result: WorkerResult = { matches: [], skipped: {}, scanned: 0 }
  for (const path of request.paths) {
    const verdict = scanFile(setup.root, path, rules, options)
    if (!verdict) continue
    if (verdict.skipped)
      result.skipped[verdict.skipped] = (result.skipped[verdict.skipped] ?? 0) + 1
    else result.scanned++
    for (const match of verdict.matches) result.matches.push({ ...match, path })
  }
  parentPort!.postMessage(result)
})
