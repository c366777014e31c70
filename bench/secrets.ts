/**
 * Issue 6's figures: the `secrets` gate against gitleaks 8.26 on a large tree of published code,
 * same tree, same "directory, no git" mode, page cache warm. Prints wall time, MB/s, peak memory
 * (the process's VmHWM, every thread), findings, and the throughput ratio.
 *
 * The tree: `npm install --ignore-scripts` of 13 popular packages into a temporary folder (kept
 * between runs in $TMPDIR/release-gates-bench-secrets), every `node_modules` renamed so that no
 * scanner skips it. gitleaks: Debian's package from the sid suite (`apt-get download`, a private
 * sid source list, unpacked with `dpkg -x`). Run: npm run build && npm run bench:secrets
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const WORK = join(tmpdir(), 'release-gates-bench-secrets')
const TREE = join(WORK, 'tree')
const PACKAGES =
  'typescript aws-sdk webpack @babel/core eslint lodash moment rxjs react-dom prettier jest express axios'
const ROUNDS = Number(process.env.ROUNDS ?? 3)

function buildTree(): void {
  if (existsSync(join(TREE, '.github', 'release-gates.yml'))) return
  mkdirSync(TREE, { recursive: true })
  writeFileSync(join(TREE, 'package.json'), '{"name":"bench-tree","version":"1.0.0"}\n')
  execFileSync(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', ...PACKAGES.split(' ')],
    {
      cwd: TREE,
      stdio: 'inherit'
    }
  )
  // Deepest first, so a parent's rename does not hide its children.
  const renames: string[] = []
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue
      const path = join(dir, entry.name)
      walk(path)
      if (entry.name === 'node_modules') renames.push(path)
    }
  }
  walk(TREE)
  for (const path of renames) renameSync(path, `${path}_`)
  mkdirSync(join(TREE, '.github'), { recursive: true })
  writeFileSync(
    join(TREE, '.github', 'release-gates.yml'),
    'version: 1\ngates:\n  - id: secrets\n    check: secrets\n'
  )
}

function gitleaksBinary(): string {
  const root = join(WORK, 'gitleaks')
  const binary = join(root, 'usr', 'bin', 'gitleaks')
  if (existsSync(binary)) return binary
  const apt = join(WORK, 'apt')
  mkdirSync(join(apt, 'lists', 'partial'), { recursive: true })
  mkdirSync(join(apt, 'cache', 'archives', 'partial'), { recursive: true })
  writeFileSync(join(apt, 'sid.list'), 'deb http://deb.debian.org/debian sid main\n')
  const options = [
    '-o',
    `Dir::Etc::SourceList=${join(apt, 'sid.list')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    `Dir::Cache=${join(apt, 'cache')}`
  ]
  execFileSync('apt-get', [...options, 'update'], { stdio: 'ignore' })
  execFileSync('apt-get', [...options, 'download', 'gitleaks'], { cwd: WORK, stdio: 'ignore' })
  const deb = readdirSync(WORK).find((name) => /^gitleaks_.*\.deb$/.test(name))!
  execFileSync('dpkg', ['-x', join(WORK, deb), root])
  return binary
}

function treeBytes(dir: string): { bytes: number; files: number } {
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const inner = treeBytes(path)
      bytes += inner.bytes
      files += inner.files
    } else if (entry.isFile()) {
      bytes += statSync(path).size
      files++
    }
  }
  return { bytes, files }
}

/** Runs a command; wall time, and peak memory polled from /proc (VmHWM covers every thread). */
async function measure(
  command: string[]
): Promise<{ seconds: number; peakMb: number; code: number | null }> {
  const started = performance.now()
  const child = spawn(command[0]!, command.slice(1), { stdio: 'ignore' })
  let peakKb = 0
  const poll = setInterval(() => {
    try {
      const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]))
    } catch {
      // exited between polls
    }
  }, 10)
  const code = await new Promise<number | null>((done) => child.on('exit', done))
  clearInterval(poll)
  return { seconds: (performance.now() - started) / 1000, peakMb: peakKb / 1024, code }
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

buildTree()
const gitleaks = gitleaksBinary()
const { bytes, files } = treeBytes(TREE)
const megabytes = bytes / 1e6
// Warm the page cache: both tools then read from memory.
execFileSync('sh', ['-c', `find "${TREE}" -type f -exec cat {} + > /dev/null`])
console.log(`tree: ${megabytes.toFixed(0)} MB in ${files} files (${TREE})`)

const ours = join(WORK, 'release-gates.json')
const theirs = join(WORK, 'gitleaks.json')
const tools = [
  {
    name: 'release-gates secrets',
    command: [
      process.execPath,
      resolve('dist/cli.js'),
      'run',
      '--cwd',
      TREE,
      '--no-progress',
      '--no-color',
      '--json',
      ours
    ],
    findings: () =>
      (JSON.parse(readFileSync(ours, 'utf8')) as { gates: Array<{ annotations: unknown[] }> })
        .gates[0]!.annotations.length
  },
  {
    // Debian's build does not stamp a version: the package file names it.
    name: `gitleaks ${/^gitleaks_([\d.]+)/.exec(readdirSync(WORK).find((file) => file.endsWith('.deb')) ?? '')?.[1] ?? ''}`,
    command: [
      gitleaks,
      'dir',
      TREE,
      '--no-banner',
      '--exit-code',
      '0',
      '--report-format',
      'json',
      '--report-path',
      theirs
    ],
    findings: () => (JSON.parse(readFileSync(theirs, 'utf8')) as unknown[]).length
  }
]
const results = []
for (const tool of tools) {
  const runs = []
  for (let round = 0; round < ROUNDS; round++) runs.push(await measure(tool.command))
  const seconds = median(runs.map((run) => run.seconds))
  const peakMb = Math.max(...runs.map((run) => run.peakMb))
  results.push({ name: tool.name, seconds, peakMb, findings: tool.findings() })
}
for (const result of results)
  console.log(
    `${result.name.padEnd(24)} ${result.seconds.toFixed(2).padStart(7)} s  ${(megabytes / result.seconds).toFixed(1).padStart(6)} MB/s  peak ${result.peakMb.toFixed(0).padStart(4)} MB  ${String(result.findings).padStart(4)} findings`
  )
console.log(
  `throughput ratio (release-gates / gitleaks): ${(results[1]!.seconds / results[0]!.seconds).toFixed(1)}x  (median of ${ROUNDS} runs each)`
)
