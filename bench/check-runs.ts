/**
 * Reporting-phase cost against the fake GitHub: for plans of 10, 50 and 200 gates, the bundled
 * action runs as on a runner and the fake records every request. Prints requests by kind and
 * the wall time from the first check-run write to the last.
 * Run: npm run bench (builds nothing: uses the committed dist/index.js).
 */
import { runBundledAction } from '../__tests__/helpers/action-run.js'
import { startFakeGitHub } from '../__tests__/helpers/fake-github.js'
import { gitRepo, tempDir } from '../__tests__/helpers/fs.js'

const SIZES = [10, 50, 200]
const SECTIONS = [
  'Code Readiness',
  'Testing',
  'Code Quality',
  'Documentation',
  'Security',
  'Database',
  'Monitoring',
  'Sign-off'
]

/** A checklist of n gates; every tenth fails with 60 annotations (two annotation batches). */
function gatesFile(count: number): string {
  const gates = Array.from({ length: count }, (_, index) => {
    const section = SECTIONS[index % SECTIONS.length]
    if (index % 10 === 9) {
      return `  - { id: item-${index}, name: 'Item ${index}', section: ${section}, check: files, with: { must-not-match: [{ paths: 'src/debug.ts', pattern: 'console' }] } }`
    }
    return `  - { id: item-${index}, name: 'Item ${index}', section: ${section}, check: files, with: { must-exist: [README.md] } }`
  })
  return `version: 1\ngates:\n${gates.join('\n')}\n`
}

const temp = tempDir('rg-bench-')
const rows: string[][] = []
try {
  for (const size of SIZES) {
    const workspace = `${temp.dir}/plan-${size}`
    gitRepo(workspace, {
      '.github/release-gates.yml': gatesFile(size),
      'README.md': '# bench\n',
      'src/debug.ts':
        Array.from({ length: 60 }, (_, index) => `console.log(${index})`).join('\n') + '\n'
    })
    const fake = await startFakeGitHub()
    const started = Date.now()
    const run = await runBundledAction({ workspace, apiUrl: fake.url, event: 'push' })
    const total = Date.now() - started
    await fake.close()
    if (fake.problems.length)
      throw new Error(`the fake GitHub saw contract problems:\n${fake.problems.join('\n')}`)
    if (run.code !== 1 || fake.requests.length === 0) {
      throw new Error(
        `the action did not report (exit ${run.code}, ${fake.requests.length} requests):\n${run.stdout}\n${run.stderr}`
      )
    }
    const creates = fake.requests.filter(
      (request) => request.operationId === 'checks/create'
    ).length
    const updates = fake.requests.filter(
      (request) => request.operationId === 'checks/update'
    ).length
    const first = fake.requests[0]?.at ?? 0
    const last = fake.requests.at(-1)?.at ?? 0
    rows.push([
      String(size),
      size > 50 ? 'per section' : 'per gate',
      String(creates),
      String(updates),
      String(fake.requests.length),
      `${((last - first) / 1000).toFixed(1)}s`,
      `${(total / 1000).toFixed(1)}s`,
      String(run.code)
    ])
  }
} finally {
  temp.cleanup()
}

const header = [
  'gates',
  'check runs',
  'creates',
  'updates',
  'requests',
  'reporting (1st→last write)',
  'action total',
  'exit'
]
const widths = header.map((title, column) =>
  Math.max(title.length, ...rows.map((row) => row[column]!.length))
)
const line = (cells: string[]) =>
  cells.map((text, column) => text.padStart(widths[column]!)).join('  ')
console.log(
  `node ${process.version}; writes are spaced 1 s apart by @octokit/plugin-throttling, as GitHub asks`
)
console.log(line(header))
for (const row of rows) console.log(line(row))
