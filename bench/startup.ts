/**
 * Start-up: `release-gates validate` on this repository's gates file, beside `node -e 0` and
 * `release-gates --version`, in one run on one machine. BASELINE_CLI=path/to/an/older/dist/cli.js
 * adds that build's `validate` for comparison (e.g. `git archive <commit> dist gates package.json`
 * unpacked somewhere). BENCH_NODE=path/to/node picks the runtime (the action's is Node 24).
 * Usage: npm run bench:startup   (RUNS=21 by default)
 */
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

const node = process.env.BENCH_NODE ?? process.execPath
const runs = Number(process.env.RUNS ?? 21)
const cli = resolve('dist/cli.js')

function median(command: string[]): number {
  const times: number[] = []
  for (let index = 0; index < runs; index++) {
    const started = performance.now()
    execFileSync(node, command, { stdio: 'ignore' })
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)]!
}

const rows: Array<[string, number]> = [
  ['node -e 0', median(['-e', '0'])],
  ['release-gates --version', median([cli, '--version'])],
  ['release-gates validate', median([cli, 'validate'])]
]
if (process.env.BASELINE_CLI)
  rows.push(['baseline validate', median([resolve(process.env.BASELINE_CLI), 'validate'])])

const floor = rows[0]![1]
console.log(`${execFileSync(node, ['--version']).toString().trim()}, median of ${runs} runs`)
for (const [name, ms] of rows)
  console.log(
    `${name.padEnd(26)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / floor).toFixed(1)}× node -e 0`
  )
