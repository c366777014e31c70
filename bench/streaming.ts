/**
 * Issue 19's reporting figures, side by side in one run against the fake GitHub: 50 gates that
 * each take 1 s, 51 check runs (one per gate and the overall one), writes spaced a second apart.
 * - before: every check run written once evaluation is done. Measured as the two runs that do
 *   exactly that today: evaluate with check-runs: never, then publish-report writes them all.
 * - now: one run that streams each gate's check run as it finishes, the overall one last.
 * Target: now ≈ max(evaluation, writes), not their sum.
 * Run: npm run bench:streaming (uses the committed dist/index.js).
 */
import { readFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { runBundledAction } from '../__tests__/helpers/action-run.js'
import { startFakeGitHub } from '../__tests__/helpers/fake-github.js'
import { gitRepo, tempDir, writeTree } from '../__tests__/helpers/fs.js'

const GATES = 50
const gatesFile = [
  'version: 1',
  'gates:',
  ...Array.from(
    { length: GATES },
    (_, index) => `  - { id: item-${index}, check: command, with: { run: 'sleep 1' } }`
  )
].join('\n')

const temp = tempDir('rg-bench-stream-')
try {
  const workspace = `${temp.dir}/repo`
  gitRepo(workspace, { '.github/release-gates.yml': `${gatesFile}\n` })

  // Before: evaluate, then write.
  const before = await startFakeGitHub()
  let started = Date.now()
  const evaluated = await runBundledAction({
    workspace,
    apiUrl: before.url,
    event: 'push',
    inputs: { 'check-runs': 'never' }
  })
  const evaluation = Date.now() - started
  const published = `${temp.dir}/published`
  writeTree(published, { 'report.json': readReport(evaluated.outputs.report) })
  started = Date.now()
  const writing = await runBundledAction({
    workspace: published,
    apiUrl: before.url,
    event: 'push',
    inputs: { 'publish-report': 'report.json' }
  })
  const writes = Date.now() - started
  await before.close()

  // Now: one run, writes streamed.
  const now = await startFakeGitHub()
  started = Date.now()
  const streamed = await runBundledAction({ workspace, apiUrl: now.url, event: 'push' })
  const total = Date.now() - started
  await now.close()

  for (const [fake, run] of [
    [before, writing],
    [now, streamed]
  ] as const) {
    if (fake.problems.length) throw new Error(`contract problems:\n${fake.problems.join('\n')}`)
    if (run.code !== 0 || fake.checkRuns.length !== GATES + 1)
      throw new Error(`exit ${run.code}, ${fake.checkRuns.length} check runs:\n${run.stdout}`)
  }
  const firstWrite = (now.requests[0]?.at ?? 0) - started
  console.log(
    `${GATES} gates of 1 s each on ${availableParallelism()} cores, ${GATES + 1} check runs, writes spaced 1 s apart`
  )
  console.log(
    `before  evaluation ${(evaluation / 1000).toFixed(1)}s + writes ${(writes / 1000).toFixed(1)}s = ${((evaluation + writes) / 1000).toFixed(1)}s`
  )
  console.log(
    `now     ${(total / 1000).toFixed(1)}s in one run, first check run written ${(firstWrite / 1000).toFixed(1)}s after the start   ratio ${((evaluation + writes) / total).toFixed(2)}x`
  )
} finally {
  temp.cleanup()
}

function readReport(path: string | undefined): string {
  if (!path) throw new Error('the evaluating run wrote no report')
  return readFileSync(path, 'utf8')
}
