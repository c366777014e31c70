import { main } from './main.js'
import { killChildrenOnInterrupt } from '../util/interrupt.js'

/** The CLI process: stops every gate on an interrupt, runs the command, exits by its code. */
export async function runCli(): Promise<void> {
  killChildrenOnInterrupt((signal) =>
    process.stderr.write(`\nrelease-gates: ${signal}: stopping every running gate\n`)
  )
  process.exitCode = await main(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd()
  })
}

await runCli()
