import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { CommandOptions } from '../../config/generated/options.js'

export type { CommandOptions }
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { SpawnError, tailLines } from '../../util/exec.js'
import { codeBlock, stripAnsi } from '../../util/text.js'
import { resolveInside } from '../shared/paths.js'
import { matchProblems } from './problem-matcher.js'

/** Runs a command; passes on an accepted exit code. Output lines can become annotations. */
export async function commandCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'command')
  const ranIn = resolveInside(workspace.cwd, options.cwd ?? '.')
  const env = { ...workspace.env }
  for (const [name, value] of Object.entries(options.env ?? {})) env[name] = String(value)
  const shown = Array.isArray(options.run) ? options.run.join(' ') : options.run
  const successCodes = options['success-codes'] ?? [0]

  let result
  try {
    result = await workspace.exec(options.run, {
      cwd: ranIn,
      env,
      shell: !Array.isArray(options.run),
      signal: workspace.signal
    })
  } catch (error) {
    if (error instanceof SpawnError) {
      return {
        conclusion: 'failure',
        title: error.message,
        summary: `\`${shown}\` could not be started: ${error.message}`,
        annotations: []
      }
    }
    throw error
  }

  const output = stripAnsi(result.output)
  const annotations = options['problem-matcher']
    ? matchProblems(output, options['problem-matcher'], { root: workspace.cwd, ranIn })
    : []
  const tail = tailLines(output, options['tail-lines'] ?? 40)
  const ended =
    result.code === null
      ? `was ended by ${result.signal ?? 'a signal'}`
      : `exited with ${result.code}`
  const passed = result.code !== null && successCodes.includes(result.code) && !result.killed
  const found = annotations.length ? `, ${annotations.length} problem(s) matched` : ''
  const summary = [
    `\`${shown}\` ${ended} after ${(result.durationMs / 1000).toFixed(1)}s` +
      (successCodes.length > 1 || successCodes[0] !== 0
        ? ` (accepted: ${successCodes.join(', ')})`
        : '') +
      '.',
    tail
      ? `Last lines of output${result.truncated ? ' (earlier output was dropped)' : ''}:\n\n${codeBlock(tail)}`
      : 'No output.'
  ].join('\n\n')
  return {
    conclusion: passed ? 'success' : 'failure',
    title: passed ? `\`${shown}\` passed${found}` : `\`${shown}\` ${ended}${found}`,
    summary,
    annotations
  }
}

/** The `command` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'command', cpuBound: true, run: commandCheck }
