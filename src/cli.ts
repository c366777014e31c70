#!/usr/bin/env node
import { main } from './cli/main.js'
import { killChildrenOnInterrupt } from './util/interrupt.js'

killChildrenOnInterrupt((signal) =>
  process.stderr.write(`\nrelease-gates: ${signal}: stopping every running gate\n`)
)
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd()
})
