/**
 * Child of bench/code-gates.ts: parses one lcov file and prints JSON figures. Run alone so its
 * peak memory is its own. Usage: tsx bench/parse-lcov.ts FILE [--read-only]
 */
import { readFileSync } from 'node:fs'
import { parseCoverage } from '../src/checks/coverage/detect.js'

const [file, mode] = process.argv.slice(2)
const started = performance.now()
const text = readFileSync(file!, 'utf8')
const read = performance.now()
const report = mode === '--read-only' ? undefined : parseCoverage(text)
const parsed = performance.now()
console.log(
  JSON.stringify({
    readMs: Math.round(read - started),
    parseMs: Math.round(parsed - read),
    files: report?.files.length ?? 0,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024)
  })
)
