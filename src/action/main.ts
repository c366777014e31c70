import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as core from '@actions/core'
import { ConfigError, missingFileHint } from '../config/errors.js'
import { evaluate, loadPlan, planShard } from '../engine/evaluate.js'
import { EXIT } from '../util/exit-codes.js'
import { readGitHubContext } from '../github/context.js'
import { streamCheckRuns } from '../github/check-runs-writer.js'
import { createGitHubClient } from '../github/octokit.js'
import { remoteGatesReader } from '../github/remote-config.js'
import { createSettingsSource } from '../github/settings-source.js'
import { createSignoffSource } from '../github/signoff-source.js'
import { renderConsoleReport } from '../report/console.js'
import { writeJsonFile, writeJsonReport } from '../report/json.js'
import { toSarifLog } from '../report/sarif.js'
import { Progress } from '../report/progress.js'
import { renderConfigErrorSummary, renderRunErrorSummary } from '../report/error-summary.js'
import { killChildrenOnInterrupt } from '../util/interrupt.js'
import { plural } from '../util/text.js'
import {
  annotationPathPrefix,
  checkPrefixFor,
  checkRunOptions,
  checkRunTarget,
  ChecksRequiredError,
  publish,
  publishEarlierReport,
  writeSummary
} from './publish.js'
import { readInputs } from './inputs.js'
import { publishMergedReports, readShardDurations } from './shards.js'
import { configReader } from './config-ref.js'
import { actionLogger } from './logger.js'

const logger = actionLogger()

/**
 * The action: inputs -> plan -> report -> check runs (or the fallback), job summary, outputs,
 * exit code. Never lets an error escape: configuration errors exit 2, bugs exit 3.
 */
export async function run(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  killChildrenOnInterrupt((signal) =>
    core.warning(`${signal}: the run was cancelled; stopping every running gate`)
  )
  try {
    const inputs = readInputs()
    if (inputs.token) core.setSecret(inputs.token)
    const github = readGitHubContext(env, (path) => JSON.parse(readFileSync(path, 'utf8')))
    const cwd = resolve(inputs.workingDirectory)
    const octokit =
      inputs.token && github?.owner
        ? createGitHubClient(inputs.token, logger, { timeoutMs: inputs.apiTimeoutMs })
        : undefined

    if (inputs.publishReport) return await publishEarlierReport(inputs, github, octokit, cwd)
    if (inputs.mergeReports) return await publishMergedReports(inputs, github, octokit, cwd)

    // The gates file and every policy file (baseline, rules file) come from the same commit.
    const reader = configReader(inputs, github, octokit, cwd)
    const whole = await logger.group(`Reading ${inputs.config}`, () =>
      loadPlan({
        cwd,
        config: inputs.config,
        ...(inputs.environment && { environment: inputs.environment }),
        ...(inputs.stage && { stage: inputs.stage }),
        ...(inputs.only.length && { only: inputs.only }),
        ...(inputs.allowEmpty && { allowEmpty: true }),
        ...reader,
        // extends: github:… is read with the same token (contents: read on that repository).
        ...(octokit && { remote: remoteGatesReader(octokit) })
      })
    )
    const plan = inputs.shard
      ? planShard(
          whole,
          inputs.shard,
          inputs.shardDurations ? readShardDurations(inputs.shardDurations, cwd) : undefined
        )
      : whole
    if (plan.shard)
      core.info(
        `Shard ${plan.shard.index} of ${plan.shard.total}: ${plural(plan.gates.length, 'gate')} of the plan's ${whole.gates.length}${inputs.shardDurations ? `, balanced by the durations in ${inputs.shardDurations}` : ', balanced by kind'}`
      )
    core.info(
      `Evaluating ${plural(plan.gates.length, 'gate')} of ${plan.file} (${[plan.environment, plan.stage].filter(Boolean).join(', ')}) for ${github ? `${github.eventName} at ${github.sha.slice(0, 7)}` : 'a local run'}`
    )
    const prefix = checkPrefixFor(inputs, plan.environment)
    // Each gate's check run is written as it finishes, so reporting overlaps evaluation.
    const target = checkRunTarget(github)
    const stream =
      inputs.checkRuns !== 'never' && octokit && target
        ? streamCheckRuns(
            octokit,
            target,
            checkRunOptions({ ...inputs, checkPrefix: prefix }, annotationPathPrefix(github, cwd)),
            whole.gates.length
          )
        : undefined
    const progress = new Progress({
      write: (text) => core.info(text.replace(/\n$/, '')),
      isTTY: false
    })
    const report = await logger.group(`Evaluating ${plural(plan.gates.length, 'gate')}`, () =>
      evaluate(plan, {
        cwd,
        env,
        logger,
        onSecret: core.setSecret,
        ...(inputs.token && { secrets: [inputs.token] }),
        ...(reader.readFile && { readPolicy: reader.readFile }),
        onProgress: progress.handle,
        ...(stream && { onPublishable: stream.add }),
        ...(inputs.concurrency !== undefined && { concurrency: inputs.concurrency }),
        ...(github && { github }),
        ...(octokit &&
          github?.owner &&
          github.repo && { signoffs: createSignoffSource(octokit, github.owner, github.repo) }),
        ...(octokit &&
          github?.owner &&
          github.repo && {
            settings: createSettingsSource(octokit, github.owner, github.repo, {
              checkPrefix: prefix,
              ...(github.runUrl && { runUrl: github.runUrl })
            })
          })
      })
    )
    core.info('')
    core.info(renderConsoleReport(report, { color: true, width: 160 }))

    const reportPath = resolve(
      inputs.reportPath || resolve(env.RUNNER_TEMP ?? cwd, 'release-gates-report.json')
    )
    await writeJsonReport(report, reportPath)
    if (inputs.sarif) {
      const sarifPath = resolve(github?.workspace ?? cwd, inputs.sarif)
      // Paths in SARIF are from the checkout root, as code scanning reads them.
      await writeJsonFile(
        sarifPath,
        toSarifLog(report, { pathPrefix: annotationPathPrefix(github, cwd) })
      )
      core.setOutput('sarif', sarifPath)
    }
    await logger.group('Publishing: check runs, job summary, outputs', () =>
      publish(report, reportPath, inputs, github, octokit, cwd, stream)
    )
  } catch (error) {
    await fail(error)
  }
}
/** The inputs again, for a message about them; none when they are what failed. */
function readInputsSafely(): ReturnType<typeof readInputs> | undefined {
  try {
    return readInputs()
  } catch {
    return undefined
  }
}

async function fail(error: unknown): Promise<void> {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) {
      core.error(problem.message + (problem.path ? ` (at ${problem.path})` : ''), {
        file: problem.file,
        ...(problem.line > 0 && { startLine: problem.line, startColumn: problem.col })
      })
    }
    const hint = missingFileHint(error.problems, readInputsSafely()?.config ?? '')
    core.setFailed(
      `${plural(error.problems.length, 'problem')} in the configuration${hint ? `. ${hint}` : ''}`
    )
    core.setOutput('result', 'config-error')
    process.exitCode = EXIT.config
    await writeSummary(renderConfigErrorSummary(error.problems))
    return
  }
  if (error instanceof ChecksRequiredError) {
    core.setFailed(error.message)
    core.setOutput('result', 'config-error')
    process.exitCode = EXIT.config
    await writeSummary(renderRunErrorSummary('check runs required', error.message))
    return
  }
  const message = `internal error in release-gates: ${error instanceof Error ? error.message : String(error)}`
  core.setFailed(message)
  await writeSummary(renderRunErrorSummary('internal error', message))
  if (error instanceof Error && error.stack) core.debug(error.stack)
  core.setOutput('result', 'error')
  process.exitCode = EXIT.internal
}
