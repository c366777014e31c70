/**
 * Issue 4's figures: (1) the typescript and eslint gates on this repository against running the
 * same tool directly (target: gate / direct <= 1.05), and (2) time and peak memory to parse a
 * 50 MB lcov file. Run: npm run bench:code-gates
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { eslintCheck } from '../src/checks/eslint/index.js'
import { typescriptCheck } from '../src/checks/typescript/index.js'
import { makeGate, makeWorkspace } from '../__tests__/helpers/plan.js'

const ROOT = resolve('.')
const ROUNDS = Number(process.env.ROUNDS ?? 7)

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function compare(
  name: string,
  gate: () => Promise<unknown>,
  direct: () => void
): Promise<string> {
  const gateTimes: number[] = []
  const directTimes: number[] = []
  await gate() // warm the file cache for both
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now()
    direct()
    directTimes.push(performance.now() - started)
    started = performance.now()
    await gate()
    gateTimes.push(performance.now() - started)
  }
  const [g, d] = [median(gateTimes), median(directTimes)]
  return `${name.padEnd(11)} direct ${(d / 1000).toFixed(2)}s  gate ${(g / 1000).toFixed(2)}s  ratio ${(g / d).toFixed(3)}  (median of ${ROUNDS}, alternating)`
}

const workspace = () => makeWorkspace(ROOT, process.env)
console.log(`node ${process.version}, this repository (${ROOT})`)
console.log(
  await compare(
    'typescript',
    () =>
      typescriptCheck(makeGate({ id: 'typecheck', check: 'typescript', with: {} }), workspace()),
    () =>
      void spawnSync(
        'node_modules/.bin/tsc',
        ['--noEmit', '--pretty', 'false', '-p', 'tsconfig.json'],
        { cwd: ROOT }
      )
  )
)
console.log(
  await compare(
    'eslint',
    () => eslintCheck(makeGate({ id: 'lint', check: 'eslint', with: {} }), workspace()),
    () =>
      void spawnSync('node_modules/.bin/eslint', ['--format', 'json', '.'], {
        cwd: ROOT,
        maxBuffer: 256 * 1024 * 1024
      })
  )
)

// A 50 MB lcov tracefile shaped like a real one: many files, DA lines, functions and branches.
const scratch = mkdtempSync(join(tmpdir(), 'rg-lcov-'))
try {
  const path = join(scratch, 'lcov.info')
  const record = (index: number): string => {
    const lines: string[] = [
      'TN:',
      `SF:/home/runner/work/shop/src/module-${index}/file-${index}.ts`
    ]
    for (let fn = 1; fn <= 8; fn++) lines.push(`FN:${fn * 10},fn${fn}`, `FNDA:${fn % 3},fn${fn}`)
    lines.push('FNF:8', 'FNH:5')
    for (let line = 1; line <= 120; line++)
      lines.push(`DA:${line},${line % 7 === 0 ? 0 : line * 3}`)
    for (let branch = 0; branch < 20; branch++)
      lines.push(`BRDA:${branch * 5 + 3},${branch},0,${branch % 4}`)
    lines.push('LF:120', 'LH:103', 'BRF:20', 'BRH:15', 'end_of_record')
    return lines.join('\n') + '\n'
  }
  const chunks: string[] = []
  let size = 0
  for (let index = 0; size < 50 * 1024 * 1024; index++) {
    const chunk = record(index)
    chunks.push(chunk)
    size += chunk.length
  }
  writeFileSync(path, chunks.join(''))
  const mb = (statSync(path).size / 1024 / 1024).toFixed(1)
  const child = (mode: string[]) =>
    JSON.parse(
      execFileSync('node_modules/.bin/tsx', ['bench/parse-lcov.ts', path, ...mode], {
        cwd: ROOT,
        encoding: 'utf8'
      })
    ) as { readMs: number; parseMs: number; files: number; maxRssMb: number }
  const readOnly = child(['--read-only'])
  const parsed = child([])
  console.log(
    `lcov ${mb} MB (${parsed.files} files): read ${parsed.readMs} ms, parse ${parsed.parseMs} ms; peak RSS ${parsed.maxRssMb} MB (reading alone: ${readOnly.maxRssMb} MB)`
  )
} finally {
  rmSync(scratch, { recursive: true, force: true })
}
