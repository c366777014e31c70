/**
 * Issue 19's scheduling figures, side by side in one run on the same plans:
 * (1) 32 `http` gates against a local server that answers after 1 s, at the default concurrency
 *     (the CPU count): as before (every gate took a CPU slot) and now (waiting takes none);
 * (2) 8 CPU-bound `command` gates that each keep a core busy for 1 s: how many ran at once.
 * Run: npm run bench:scheduling
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { availableParallelism } from 'node:os'
import { CHECKS } from '../src/checks/index.js'
import { runPlan } from '../src/engine/run-plan.js'
import type { CheckRegistry } from '../src/engine/run-plan.js'
import type { PlannedGate } from '../src/config/model.js'
import { Redactor } from '../src/util/redact.js'
import { makeGate, makePlan, makeWorkspace } from '../__tests__/helpers/plan.js'

const cores = availableParallelism()
const server = createServer((_request, response) => {
  setTimeout(() => response.end('ok'), 1000)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as AddressInfo

/** Wall time of a plan, and the most gates that were running at once. */
async function measure(
  gates: PlannedGate[],
  checks: CheckRegistry
): Promise<{ seconds: number; peak: number; failed: number }> {
  const { signal: _signal, ...workspace } = makeWorkspace(process.cwd())
  let running = 0
  let peak = 0
  const started = performance.now()
  const report = await runPlan(makePlan(gates), {
    checks,
    workspace,
    redactor: new Redactor(),
    onProgress: (event) => {
      running += event.type === 'start' ? 1 : -1
      peak = Math.max(peak, running)
    }
  })
  return {
    seconds: (performance.now() - started) / 1000,
    peak,
    failed: report.gates.filter((gate) => !gate.met).length
  }
}

const http = Array.from({ length: 32 }, (_, index) =>
  makeGate({ id: `web-${index}`, check: 'http', with: { url: `http://127.0.0.1:${port}/` } })
)
// As the engine scheduled before: http took a CPU slot like every kind.
const before: CheckRegistry = { ...CHECKS, http: { ...CHECKS.http!, cpuBound: true } }
const burn = Array.from({ length: 8 }, (_, index) =>
  makeGate({
    id: `cpu-${index}`,
    check: 'command',
    with: { run: `node -e "const end = Date.now() + 1000; while (Date.now() < end);"` }
  })
)

try {
  const old = await measure(http, before)
  const now = await measure(http, CHECKS)
  const cpu = await measure(burn, CHECKS)
  if (old.failed || now.failed || cpu.failed) throw new Error('a bench gate failed')
  console.log(`scheduling on ${cores} cores (default concurrency ${cores})`)
  console.log(
    `32 http gates, 1 s each   before ${old.seconds.toFixed(2)}s (peak ${old.peak} at once)   now ${now.seconds.toFixed(2)}s (peak ${now.peak})   ratio ${(old.seconds / now.seconds).toFixed(1)}x`
  )
  console.log(
    `8 CPU-bound gates, 1 s each   ${cpu.seconds.toFixed(2)}s, peak ${cpu.peak} at once (limit ${cores})`
  )
} finally {
  server.closeAllConnections()
  server.close()
}
