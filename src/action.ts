import { resolve } from 'node:path'
import * as core from '@actions/core'
import { ConfigError } from './config/errors.js'
import { DEFAULT_CONFIG, evaluate, loadPlan } from './evaluate.js'
import { EXIT } from './exit-codes.js'
import { contextFromEnv } from './github/context.js'
import { renderConsoleReport } from './report/console.js'
import { writeJsonReport } from './report/json.js'
import { Progress } from './report/progress.js'
import { killChildrenOnInterrupt } from './util/interrupt.js'
import { plural } from './util/text.js'

/** The action: inputs -> plan -> report -> outputs and exit code. Never lets an error escape. */
export async function runAction(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  killChildrenOnInterrupt((signal) =>
    core.warning(`${signal}: the run was cancelled; stopping every running gate`)
  )
  try {
    const token = core.getInput('token')
    if (token) core.setSecret(token)
    const cwd = resolve(core.getInput('working-directory') || '.')
    const only = core
      .getInput('only')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean)
    const plan = await loadPlan({
      cwd,
      config: core.getInput('config') || DEFAULT_CONFIG,
      ...(core.getInput('environment') && { environment: core.getInput('environment') }),
      ...(core.getInput('stage') && { stage: core.getInput('stage') }),
      ...(only.length && { only })
    })
    const concurrencyInput = core.getInput('concurrency')
    const concurrency = concurrencyInput ? Number(concurrencyInput) : undefined
    if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1)) {
      throw ConfigError.single(
        'action input',
        `'concurrency' expects a whole number of at least 1, got '${concurrencyInput}'`
      )
    }

    core.info(
      `Evaluating ${plural(plan.gates.length, 'gate')} of ${plan.file} (${[plan.environment, plan.stage].filter(Boolean).join(', ')})`
    )
    const progress = new Progress({
      write: (text) => core.info(text.replace(/\n$/, '')),
      isTTY: false
    })
    const github = contextFromEnv(env)
    const report = await evaluate(plan, {
      cwd,
      env,
      logger: { info: core.info, warning: core.warning, debug: core.debug },
      onSecret: core.setSecret,
      onProgress: progress.handle,
      ...(concurrency !== undefined && { concurrency }),
      ...(github && { github })
    })

    core.info('')
    core.info(renderConsoleReport(report, { color: true, width: 160 }))
    const reportPath = resolve(
      core.getInput('report-path') || resolve(env.RUNNER_TEMP ?? cwd, 'release-gates-report.json')
    )
    await writeJsonReport(report, reportPath)
    core.setOutput('result', report.result)
    core.setOutput('failed-gates', JSON.stringify(report.failedGates))
    core.setOutput('report', reportPath)
    if (report.result === 'failed') {
      core.setFailed(`Required gates unmet: ${report.failedGates.join(', ')}`)
      process.exitCode = EXIT.unmet
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const problem of error.problems) {
        core.error(problem.message + (problem.path ? ` (at ${problem.path})` : ''), {
          file: problem.file,
          ...(problem.line > 0 && { startLine: problem.line, startColumn: problem.col })
        })
      }
      core.setFailed(`${plural(error.problems.length, 'problem')} in the gates file`)
      core.setOutput('result', 'config-error')
      process.exitCode = EXIT.config
      return
    }
    core.setFailed(
      `internal error in release-gates: ${error instanceof Error ? error.message : String(error)}`
    )
    if (error instanceof Error && error.stack) core.debug(error.stack)
    core.setOutput('result', 'error')
    process.exitCode = EXIT.internal
  }
}
