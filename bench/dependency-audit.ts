/**
 * The `osv-audit` gate next to `npm audit --json`, side by side in one run, on the same lockfile:
 * this repository's package-lock.json (every package of its tree). Each asks a local server of the
 * same real advisories (the tests' OSV API and npm bulk-advisory endpoint), so neither waits on
 * the network; both are whole CLI processes, timed with /usr/bin/time (wall, peak RSS). The
 * offline database (a directory of the same records) is timed as a third column.
 *
 * Run: npm run build && npm run bench:dependency-audit   (ROUNDS=5 by default; the median is shown)
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { promisify } from 'node:util'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { startAdvisoryServer } from '../__tests__/helpers/advisory-server.js'
import { osvRecords, startOsvServer } from '../__tests__/helpers/osv-server.js'

const ROUNDS = Number(process.env.ROUNDS ?? 5)
const CLI = resolve('dist/cli.js')

interface Run {
  wallMs: number
  rssMb: number
  stdout: string
}

/**
 * One process under GNU time: its wall time and peak resident memory. Asynchronous: the servers
 * answering it run in this process.
 */
async function timed(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {}
): Promise<Run> {
  const report = join(cwd, '.time')
  let stdout = ''
  try {
    ;({ stdout } = await promisify(execFile)(
      '/usr/bin/time',
      ['-f', '%e %M', '-o', report, command, ...args],
      { cwd, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }
    ))
  } catch (error) {
    // Both exit non-zero when they find something: the output is what counts.
    stdout = (error as { stdout?: string }).stdout ?? ''
  }
  const [seconds, kb] = readFileSync(report, 'utf8').trim().split(/\s+/).slice(-2)
  return { wallMs: Number(seconds) * 1000, rssMb: Number(kb) / 1024, stdout }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'rg-bench-audit-'))
  const project = join(work, 'project')
  mkdirSync(project)
  copyFileSync('package.json', join(project, 'package.json'))
  copyFileSync('package-lock.json', join(project, 'package-lock.json'))
  const database = join(work, 'db')
  mkdirSync(database)
  for (const [id, record] of osvRecords())
    writeFileSync(join(database, `${id}.json`), JSON.stringify(record))
  const advisory = await startAdvisoryServer()
  const osv = await startOsvServer()
  const gates = (withOptions: string) =>
    `version: 1\ngates:\n  - id: osv\n    check: osv-audit\n    with:\n${withOptions}\n`
  writeFileSync(join(project, 'api.yml'), gates(`      api-url: ${osv.url}`))
  writeFileSync(join(project, 'offline.yml'), gates(`      database: ${database}`))
  const npmEnv = {
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false'
  }
  const columns = {
    'npm audit --json': [] as Run[],
    'osv-audit (API)': [] as Run[],
    'osv-audit (offline)': [] as Run[]
  }
  for (let round = 0; round < ROUNDS; round++) {
    columns['npm audit --json'].push(
      await timed('npm', ['audit', '--json', '--registry', advisory.url], project, npmEnv)
    )
    columns['osv-audit (API)'].push(
      await timed(process.execPath, [CLI, 'run', '--config', 'api.yml', '--json'], project)
    )
    columns['osv-audit (offline)'].push(
      await timed(process.execPath, [CLI, 'run', '--config', 'offline.yml', '--json'], project)
    )
  }
  const npmReport = JSON.parse(columns['npm audit --json'][0]!.stdout) as {
    metadata: { dependencies: { total: number } }
    vulnerabilities: Record<string, unknown>
  }
  const gateReport = JSON.parse(columns['osv-audit (API)'][0]!.stdout) as {
    gates: Array<{ title: string }>
  }
  const lockKb = Math.round(statSync('package-lock.json').size / 1024)
  console.log(`package-lock.json of this repository: ${lockKb} KB; ${ROUNDS} rounds, median`)
  console.log(
    `npm audit: ${npmReport.metadata.dependencies.total} dependencies, ${Object.keys(npmReport.vulnerabilities).length} vulnerable packages`
  )
  console.log(`osv-audit: ${gateReport.gates[0]!.title}`)
  console.log(`requests to the OSV server in one API run: ${osv.requests.length / ROUNDS}`)
  console.log('')
  console.log('| Run | Wall (ms) | Peak RSS (MB) |')
  console.log('|---|---|---|')
  for (const [name, runs] of Object.entries(columns))
    console.log(
      `| ${name} | ${Math.round(median(runs.map((run) => run.wallMs)))} | ${median(runs.map((run) => run.rssMb)).toFixed(0)} |`
    )
  const ratio =
    median(columns['npm audit --json'].map((run) => run.wallMs)) /
    median(columns['osv-audit (API)'].map((run) => run.wallMs))
  console.log(`\nnpm audit / osv-audit (API), wall: ${ratio.toFixed(2)}×`)
  await advisory.close()
  await osv.close()
  rmSync(work, { recursive: true, force: true })
}

await main()
