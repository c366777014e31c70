/**
 * The `secrets` gate against gitleaks 8.26, side by side in one run, page cache warm, "directory,
 * no git" mode for both. Wall time, MB/s, peak memory (the process's VmHWM, every thread) and
 * findings, on three trees:
 *
 * 1. Published code: `npm install --ignore-scripts` of 13 popular packages (kept between runs in
 *    $TMPDIR/release-gates-bench-secrets), every `node_modules` renamed so that no scanner skips
 *    it. Fair: both tools get the same files — a hard-linked copy without the files the gate does
 *    not search (minified bundles, files over its 1 MiB cap), so neither is timed on work the
 *    other skips.
 * 2. 20,000 findings: 200 files of 100 planted credentials each (issued-key formats and chosen
 *    passwords), against a twin of the same size without them: what the findings add.
 * 3. One 600 MB file, no size cap (`max-file-size` above it, gitleaks' `--max-target-megabytes 0`):
 *    peak memory must not grow with the largest file.
 * 4. With `REAL_REPOS=dir,dir…` (git checkouts): each one's committed files (`git archive HEAD`),
 *    the same for both, and the findings of each.
 *
 * gitleaks: Debian's package from the sid suite (`apt-get download`, a private sid source list,
 * unpacked with `dpkg -x`). `BASELINE_CLI=path/to/old/dist/cli.js` adds an earlier build's
 * figures beside today's. Run: npm run build && npm run bench:secrets
 */
import { execFileSync, spawn } from 'node:child_process'
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
  writeSync
} from 'node:fs'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join, relative, resolve } from 'node:path'
import { isMinified } from '../src/secrets/content.js'
import { secretFingerprint } from '../src/secrets/redact.js'

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

const CAP = 1024 * 1024

/**
 * The published-code tree as the gate searches it: a hard-linked copy without the files it skips
 * (minified, over the cap), so gitleaks is given exactly the files the gate reads.
 */
function fairTree(): { dir: string; removed: { minified: number; large: number } } {
  const dir = join(WORK, 'tree-fair')
  const removed = { minified: 0, large: 0 }
  rmSync(dir, { recursive: true, force: true })
  execFileSync('cp', ['-al', TREE, dir])
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.isFile()) {
        const size = statSync(path).size
        if (size > CAP) {
          unlinkSync(path)
          removed.large++
        } else if (isMinified(relative(dir, path), readFileSync(path, 'latin1'))) {
          unlinkSync(path)
          removed.minified++
        }
      }
    }
  }
  walk(dir)
  return { dir, removed }
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const random = (length: number, alphabet = BASE62): string =>
  [...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('')

/**
 * One planted credential a line, in formats both tools know, so both do the same work: GitHub,
 * Stripe, Slack, GitLab and npm tokens.
 */
function plantedLine(index: number): string {
  switch (index % 5) {
    case 0:
      return `const github${index} = 'ghp_${random(36)}'`
    case 1:
      return `const stripe${index} = 'sk_live_${random(32)}'`
    case 2:
      return `const slack${index} = 'xoxb-${random(11, '0123456789')}-${random(12, '0123456789')}-${random(24)}'`
    case 3:
      return `const gitlab${index} = 'glpat-${random(20)}'`
    default:
      return `const npm${index} = 'npm_${random(36)}'`
  }
}

/** 200 files of 100 planted credentials, and a twin of the same size with none. */
function findingTrees(): { dirty: string; clean: string } {
  const dirty = join(WORK, 'findings-20000')
  const clean = join(WORK, 'findings-none')
  if (!existsSync(join(clean, 'f199.ts'))) {
    for (const dir of [dirty, clean]) mkdirSync(dir, { recursive: true })
    for (let file = 0; file < 200; file++) {
      const lines = Array.from({ length: 100 }, (_, line) => plantedLine(file * 100 + line))
      writeFileSync(join(dirty, `f${file}.ts`), `${lines.join('\n')}\n`)
      writeFileSync(
        join(clean, `f${file}.ts`),
        `${lines.map((line) => `// ${'-'.repeat(line.length - 3)}`).join('\n')}\n`
      )
    }
  }
  return { dirty, clean }
}

/** One text file of `megabytes`, ordinary code lines and one planted key near its end. */
function bigFileTree(megabytes: number): string {
  const dir = join(WORK, `big-${megabytes}`)
  const file = join(dir, 'dump.sql')
  if (existsSync(file)) return dir
  mkdirSync(join(dir, '.github'), { recursive: true })
  const descriptor = openSync(file, 'w')
  const block = Buffer.from(
    Array.from(
      { length: 1000 },
      (_, index) => `INSERT INTO orders VALUES (${index}, 'widget', 42, '2026-01-01');`
    ).join('\n') + '\n'
  )
  for (let written = 0; written < megabytes * 1e6; written += block.length)
    writeSync(descriptor, block)
  writeSync(descriptor, `-- token ghp_${random(36)}\n`)
  closeSync(descriptor)
  writeFileSync(
    join(dir, '.github', 'release-gates.yml'),
    `version: 1\ngates:\n  - id: secrets\n    check: secrets\n    with:\n      max-file-size: ${megabytes * 2_000_000}\n`
  )
  return dir
}

buildTree()
const gitleaks = gitleaksBinary()
const gitleaksName = `gitleaks ${/^gitleaks_([\d.]+)/.exec(readdirSync(WORK).find((file) => file.endsWith('.deb')) ?? '')?.[1] ?? ''}`
const SECRETS_ONLY = 'version: 1\ngates:\n  - id: secrets\n    check: secrets\n'
const fair = fairTree()
const findings = findingTrees()
for (const dir of [fair.dir, findings.dirty, findings.clean]) {
  mkdirSync(join(dir, '.github'), { recursive: true })
  writeFileSync(join(dir, '.github', 'release-gates.yml'), SECRETS_ONLY)
}
const big = bigFileTree(600)

interface Tool {
  name: string
  run: (dir: string) => string[]
  findings: () => number
}
const ours = join(WORK, 'release-gates.json')
const theirs = join(WORK, 'gitleaks.json')
const gate = (cli: string, name: string): Tool => ({
  name,
  run: (dir) => [
    process.execPath,
    cli,
    'run',
    '--cwd',
    dir,
    '--no-progress',
    '--no-color',
    '--json',
    ours
  ],
  findings: () =>
    (JSON.parse(readFileSync(ours, 'utf8')) as { gates: Array<{ annotations: unknown[] }> })
      .gates[0]!.annotations.length
})
const tools: Tool[] = [
  gate(resolve('dist/cli.js'), 'release-gates secrets'),
  ...(process.env.BASELINE_CLI
    ? [gate(resolve(process.env.BASELINE_CLI), 'release-gates (baseline)')]
    : []),
  {
    name: gitleaksName,
    run: (dir) => [
      gitleaks,
      'dir',
      dir,
      '--no-banner',
      '--exit-code',
      '0',
      '--max-target-megabytes',
      '0',
      '--report-format',
      'json',
      '--report-path',
      theirs
    ],
    findings: () => (JSON.parse(readFileSync(theirs, 'utf8')) as unknown[]).length
  }
]

interface Figures {
  seconds: number
  peakMb: number
  findings: number
}
async function figures(tool: Tool, dir: string, rounds = ROUNDS): Promise<Figures> {
  const runs = []
  for (let round = 0; round < rounds; round++) runs.push(await measure(tool.run(dir)))
  return {
    seconds: median(runs.map((run) => run.seconds)),
    peakMb: Math.max(...runs.map((run) => run.peakMb)),
    findings: tool.findings()
  }
}
const warm = (dir: string): void => {
  execFileSync('sh', ['-c', `find "${dir}" -type f -exec cat {} + > /dev/null`])
}
const line = (name: string, result: Figures, megabytes?: number): void =>
  console.log(
    `  ${name.padEnd(26)} ${result.seconds.toFixed(2).padStart(7)} s${megabytes ? `  ${(megabytes / result.seconds).toFixed(1).padStart(6)} MB/s` : ''}  peak ${result.peakMb.toFixed(0).padStart(4)} MB  ${String(result.findings).padStart(5)} findings`
  )

// 1. Published code, the same files for both.
const { bytes, files } = treeBytes(fair.dir)
warm(fair.dir)
console.log(
  `published code: ${(bytes / 1e6).toFixed(0)} MB in ${files} files, the same for both tools (${fair.removed.minified} minified and ${fair.removed.large} files over 1 MiB, which the gate does not search, removed for both)`
)
const published = new Map<string, Figures>()
for (const tool of tools) {
  published.set(tool.name, await figures(tool, fair.dir))
  line(tool.name, published.get(tool.name)!, bytes / 1e6)
}
console.log(
  `  throughput ratio (release-gates / gitleaks): ${(published.get(gitleaksName)!.seconds / published.get(tools[0]!.name)!.seconds).toFixed(1)}x  (median of ${ROUNDS} runs each)`
)

// 2. What 20,000 findings add.
warm(findings.dirty)
warm(findings.clean)
console.log('20,000 findings (200 files of 100 planted credentials) against a twin with none:')
for (const tool of tools) {
  const dirty = await figures(tool, findings.dirty)
  const clean = await figures(tool, findings.clean)
  line(tool.name, dirty)
  console.log(
    `  ${''.padEnd(26)} ${(dirty.seconds - clean.seconds).toFixed(2).padStart(7)} s added by the findings`
  )
}

{
  const passwords = Array.from({ length: 400 }, () => `${random(6)}!${random(5)}`)
  const started = performance.now()
  await Promise.all(
    passwords.map((password) =>
      secretFingerprint({ id: 'generic-secret', issued: false }, 'a.ts', password)
    )
  )
  console.log(
    `  a chosen password's fingerprint (scrypt N=1024, 1 MiB): ${((performance.now() - started) / passwords.length).toFixed(2)} ms of wall time each, 400 at once`
  )
}

// 3. One 600 MB file, no size cap.
warm(big)
console.log('one 600 MB file, no size cap:')
for (const tool of tools) line(tool.name, await figures(tool, big, 1))

// 4. Real repositories, their committed files for both.
for (const repo of (process.env.REAL_REPOS ?? '').split(',').filter(Boolean)) {
  const dir = join(WORK, `real-${repo.split('/').filter(Boolean).pop()}`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(join(dir, '.github'), { recursive: true })
  execFileSync('sh', ['-c', `git -C "${repo}" archive HEAD | tar -x -C "${dir}"`])
  writeFileSync(join(dir, '.github', 'release-gates.yml'), SECRETS_ONLY)
  const counts = []
  for (const tool of tools) counts.push(`${tool.name}: ${(await figures(tool, dir, 1)).findings}`)
  console.log(`${repo} (committed files): ${counts.join(', ')}`)
}
