import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import * as core from '@actions/core'
import { ConfigError } from './config/errors.js'
import type { Report } from './engine/report.js'
import type { GitHubContext, Logger } from './engine/types.js'
import { DEFAULT_CONFIG, evaluate, loadPlan } from './evaluate.js'
import { EXIT } from './exit-codes.js'
import { ChecksPermissionError, writeCheckRuns } from './github/check-runs-writer.js'
import { apiFileReader, resolveConfigRef } from './github/config-source.js'
import { readGitHubContext } from './github/context.js'
import { createGitHubClient, DEFAULT_API_TIMEOUT_MS } from './github/octokit.js'
import { createSignoffSource } from './github/signoff-source.js'
import type { GitHubClient } from './github/octokit.js'
import { planCheckRuns } from './report/check-runs.js'
import { renderConsoleReport } from './report/console.js'
import { writeJsonFile, writeJsonReport } from './report/json.js'
import { toSarifLog } from './report/sarif.js'
import { Progress } from './report/progress.js'
import { parseReport } from './report/read-report.js'
import { renderConfigErrorSummary, renderRunErrorSummary } from './report/error-summary.js'
import { renderJobSummary } from './report/summary.js'
import { pickWorkflowAnnotations, RUNNER_LIMIT_PER_LEVEL } from './report/workflow-annotations.js'
import { killChildrenOnInterrupt } from './util/interrupt.js'
import { parseDuration } from './util/duration.js'
import { plural } from './util/text.js'

type CheckRunsMode = 'auto' | 'always' | 'never'

interface Inputs {
  config: string
  configRef: string
  environment: string
  stage: string
  only: string[]
  token: string
  workingDirectory: string
  concurrency?: number
  reportPath: string
  /** Where to write the run's SARIF; empty: none. */
  sarif: string
  /** Empty: 'Release gates (<environment>)'. */
  checkPrefix: string
  checkRuns: CheckRunsMode
  maxCheckRuns: number
  maxAnnotations: number
  /** Publish this JSON report from an earlier run instead of evaluating. */
  publishReport: string
  /** A plan with no gate to evaluate passes instead of being a configuration error. */
  allowEmpty: boolean
  /** Per attempt of each GitHub API request. */
  apiTimeoutMs: number
}

/** Check runs could not be written and `check-runs: always` was asked for. */
class ChecksRequiredError extends Error {}

const logger: Logger = { info: core.info, warning: core.warning, debug: core.debug }

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

    // The gates file and every policy file (baseline, rules file) come from the same commit.
    const reader = configReader(inputs, github, octokit, cwd)
    const plan = await loadPlan({
      cwd,
      config: inputs.config,
      ...(inputs.environment && { environment: inputs.environment }),
      ...(inputs.stage && { stage: inputs.stage }),
      ...(inputs.only.length && { only: inputs.only }),
      ...(inputs.allowEmpty && { allowEmpty: true }),
      ...reader
    })
    core.info(
      `Evaluating ${plural(plan.gates.length, 'gate')} of ${plan.file} (${[plan.environment, plan.stage].filter(Boolean).join(', ')}) for ${github ? `${github.eventName} at ${github.sha.slice(0, 7)}` : 'a local run'}`
    )
    const progress = new Progress({
      write: (text) => core.info(text.replace(/\n$/, '')),
      isTTY: false
    })
    const report = await evaluate(plan, {
      cwd,
      env,
      logger,
      onSecret: core.setSecret,
      ...(inputs.token && { secrets: [inputs.token] }),
      ...(reader.readFile && { readPolicy: reader.readFile }),
      onProgress: progress.handle,
      ...(inputs.concurrency !== undefined && { concurrency: inputs.concurrency }),
      ...(github && { github }),
      ...(octokit &&
        github?.owner &&
        github.repo && { signoffs: createSignoffSource(octokit, github.owner, github.repo) })
    })
    core.info('')
    core.info(renderConsoleReport(report, { color: true, width: 160 }))

    const reportPath = resolve(
      inputs.reportPath || resolve(env.RUNNER_TEMP ?? cwd, 'release-gates-report.json')
    )
    await writeJsonReport(report, reportPath)
    if (inputs.sarif) {
      const sarifPath = resolve(github?.workspace ?? cwd, inputs.sarif)
      // Paths in SARIF are from the checkout root, as code scanning reads them.
      const pathPrefix = relative(github?.workspace ?? cwd, cwd)
        .split('\\')
        .join('/')
      await writeJsonFile(sarifPath, toSarifLog(report, { pathPrefix }))
      core.setOutput('sarif', sarifPath)
    }
    await publish(report, reportPath, inputs, github, octokit, cwd)
  } catch (error) {
    await fail(error)
  }
}

/** Check runs (or the fallback), job summary, outputs and exit code: the same for every report. */
async function publish(
  report: Report,
  reportPath: string,
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  cwd: string
): Promise<void> {
  const pathPrefix = relative(github?.workspace ?? cwd, cwd)
    .split('\\')
    .join('/')
  // Named after the environment actually resolved (the input may be empty: defaults.environment).
  const prefix =
    inputs.checkPrefix || `Release gates${report.environment ? ` (${report.environment})` : ''}`
  // The verdict, the outputs and the job summary first: none of them needs the API, and an API
  // that never answers must not take them down with the check runs.
  core.setOutput('result', report.result)
  core.setOutput('failed-gates', JSON.stringify(report.failedGates))
  core.setOutput('report', reportPath)
  if (report.result === 'failed') process.exitCode = EXIT.unmet
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(renderJobSummary(report)).write()

  const publication = await publishCheckRuns(
    report,
    { ...inputs, checkPrefix: prefix },
    github,
    octokit,
    pathPrefix
  )
  if (!publication.written)
    annotateWithWorkflowCommands(report, pathPrefix, publication.warningsLogged)
  if (report.result === 'failed')
    core.setFailed(`Required gates unmet: ${report.failedGates.join(', ')}`)
}

/**
 * Publishes a report an earlier, untrusted run wrote (a pull request from a fork evaluates with a
 * read-only token and uploads it; a workflow_run workflow publishes it). Nothing is evaluated
 * here, so no code from the pull request runs with the write token. A report for another
 * commit is refused: it could be replayed onto this one.
 */
async function publishEarlierReport(
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  cwd: string
): Promise<void> {
  const path = resolve(cwd, inputs.publishReport)
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw ConfigError.single(
      'action input',
      `'publish-report' cannot read ${inputs.publishReport}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    )
  }
  let report: Report
  try {
    report = parseReport(text, inputs.publishReport)
  } catch (error) {
    throw ConfigError.single('action input', `'publish-report': ${(error as Error).message}`)
  }
  if (github && report.github?.sha !== github.sha) {
    throw ConfigError.single(
      'action input',
      `'publish-report': the report is for commit ${report.github?.sha ?? '(none)'}, this run is for ${github.sha}; refusing to publish it here`
    )
  }
  core.info(
    `Publishing ${inputs.publishReport}: ${plural(report.gates.length, 'gate')} evaluated by an earlier run (${report.github?.runUrl ?? 'no run URL'}); nothing is evaluated here.`
  )
  core.info(renderConsoleReport(report, { color: true, width: 160 }))
  await publish(report, path, inputs, github, octokit, cwd)
}

function readInputs(): Inputs {
  const number = (name: string, fallback: number | undefined, min: number): number | undefined => {
    const text = core.getInput(name)
    if (!text) return fallback
    const value = Number(text)
    if (!Number.isInteger(value) || value < min)
      throw ConfigError.single(
        'action input',
        `'${name}' expects a whole number of at least ${min}, got '${text}'`
      )
    return value
  }
  const checkRuns = (core.getInput('check-runs') || 'auto') as CheckRunsMode
  if (!['auto', 'always', 'never'].includes(checkRuns)) {
    throw ConfigError.single(
      'action input',
      `'check-runs' expects auto, always or never, got '${checkRuns}'`
    )
  }
  const concurrency = number('concurrency', undefined, 1)
  return {
    config: core.getInput('config') || DEFAULT_CONFIG,
    configRef: core.getInput('config-ref'),
    environment: core.getInput('environment'),
    stage: core.getInput('stage'),
    only: core
      .getInput('only')
      .split(',')
      .map((id) => id.trim())
      .filter(Boolean),
    token: core.getInput('token'),
    workingDirectory: core.getInput('working-directory') || '.',
    ...(concurrency !== undefined && { concurrency }),
    reportPath: core.getInput('report-path'),
    sarif: core.getInput('sarif'),
    checkPrefix: core.getInput('check-prefix'),
    checkRuns,
    maxCheckRuns: number('max-check-runs', 50, 2)!,
    maxAnnotations: number('max-annotations', 200, 0)!,
    publishReport: core.getInput('publish-report'),
    allowEmpty: booleanInput('allow-empty'),
    apiTimeoutMs: durationInput('api-timeout', DEFAULT_API_TIMEOUT_MS)
  }
}

function durationInput(name: string, fallback: number): number {
  const text = core.getInput(name).trim()
  if (!text) return fallback
  const value = /^\d+$/.test(text)
    ? Number(text) * 1000
    : /^\d+(ms|s|m)$/.test(text)
      ? parseDuration(text)
      : NaN
  if (!(value >= 100 && value <= 600_000))
    throw ConfigError.single(
      'action input',
      `'${name}' expects a duration from 100ms to 10m (e.g. 30s), got '${text}'`
    )
  return value
}

/** A boolean input as YAML 1.2 spells one; anything else is a mistake, not false. */
function booleanInput(name: string): boolean {
  const text = core.getInput(name).trim()
  if (!text) return false
  if (/^(true|True|TRUE)$/.test(text)) return true
  if (/^(false|False|FALSE)$/.test(text)) return false
  throw ConfigError.single('action input', `'${name}' expects true or false, got '${text}'`)
}

/** On pull requests the gates file may be read from the base commit, so a PR cannot weaken it. */
function configReader(
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  cwd: string
) {
  let source
  try {
    source = resolveConfigRef(inputs.configRef, github)
  } catch (error) {
    throw ConfigError.single('action input', (error as Error).message)
  }
  if (!source.ref) return {}
  if (!octokit || !github?.owner || !github.repo) {
    throw ConfigError.single(
      'action input',
      `config-ref reads the gates file through the GitHub API, which needs the 'token' input and GITHUB_REPOSITORY`
    )
  }
  core.info(`Reading the gates file from ${source.why} (config-ref), not from the checkout`)
  return {
    readFile: apiFileReader(
      octokit,
      { owner: github.owner, repo: github.repo, ref: source.ref },
      github.workspace ?? cwd
    )
  }
}

/**
 * Whether check runs carry the results (if not, the fallback must), and how many warnings the
 * attempt logged (they count against the runner's 10 per level).
 */
async function publishCheckRuns(
  report: Report,
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  pathPrefix: string
): Promise<{ written: boolean; warningsLogged: number }> {
  if (inputs.checkRuns === 'never') return { written: false, warningsLogged: 0 }
  if (!octokit || !github?.owner || !github.repo) {
    const why = !github ? 'not running in GitHub Actions' : 'no token'
    if (inputs.checkRuns === 'always')
      throw new ChecksRequiredError(`check-runs: always, but check runs cannot be written: ${why}`)
    core.info(`Check runs skipped (${why}); the results are in the job summary.`)
    return { written: false, warningsLogged: 0 }
  }
  const plan = planCheckRuns(report, {
    prefix: inputs.checkPrefix,
    maxCheckRuns: inputs.maxCheckRuns,
    maxAnnotations: inputs.maxAnnotations,
    pathPrefix
  })
  if (plan.grouped) {
    core.info(
      `${plural(report.gates.length, 'gate')} exceed max-check-runs (${inputs.maxCheckRuns}): one check run per section (${plan.runs.length - 1}), every item a row in it, to stay inside GitHub's write budget.`
    )
  }
  try {
    const written = await writeCheckRuns(
      octokit,
      {
        owner: github.owner,
        repo: github.repo,
        headSha: github.sha,
        ...(github.runUrl && { detailsUrl: github.runUrl })
      },
      plan
    )
    core.info(
      `Wrote ${plural(written.created.length, 'check run')} on ${github.sha.slice(0, 7)} in ${plural(written.requests, 'request')}; require '${inputs.checkPrefix}' in branch protection.`
    )
    return { written: true, warningsLogged: 0 }
  } catch (error) {
    const message = (error as Error).message
    if (inputs.checkRuns === 'always')
      throw new ChecksRequiredError(`check-runs: always, but writing check runs failed: ${message}`)
    if (error instanceof ChecksPermissionError) core.warning(permissionAdvice(message, github))
    else
      core.warning(
        `Writing check runs failed: ${message}. The results are in the job summary and as annotations.`
      )
    return { written: false, warningsLogged: 1 }
  }
}

/** Appends to the job summary; a summary that cannot be written must not hide the real error. */
async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`The job summary could not be written: ${(error as Error).message}`)
  }
}

function permissionAdvice(message: string, github: GitHubContext): string {
  const fork = github.pullRequest?.fromFork
  return [
    `Check runs could not be written (${message}). The results are in the job summary and as annotations; the workflow still fails on unmet required gates.`,
    `To get one check run per gate, give the job's token the permission: 'permissions: { checks: write, contents: read }'.`,
    fork
      ? `This pull request comes from a fork, whose token is read-only whatever the workflow asks: run Release Gates from a 'workflow_run' workflow (README: "Pull requests from forks").`
      : `Pull requests from forks and Dependabot runs get a read-only token: use the 'workflow_run' pattern from the README for those.`,
    `Set 'check-runs: never' to skip check runs without this notice.`
  ].join('\n')
}

function annotateWithWorkflowCommands(
  report: Report,
  pathPrefix: string,
  warningsLogged: number
): void {
  // The runner shows 10 per level per step, the action's own messages included: its failure
  // (an error, when a required gate is unmet) and the warnings it already logged.
  const { chosen, dropped } = pickWorkflowAnnotations(report, pathPrefix, {
    error: RUNNER_LIMIT_PER_LEVEL - (report.result === 'failed' ? 1 : 0),
    warning: RUNNER_LIMIT_PER_LEVEL - warningsLogged,
    notice: RUNNER_LIMIT_PER_LEVEL
  })
  for (const annotation of chosen) {
    const properties = {
      title: annotation.title,
      ...(annotation.file && { file: annotation.file }),
      ...(annotation.line !== undefined && { startLine: annotation.line }),
      ...(annotation.column !== undefined && { startColumn: annotation.column })
    }
    if (annotation.level === 'error') core.error(annotation.message, properties)
    else if (annotation.level === 'warning') core.warning(annotation.message, properties)
    else core.notice(annotation.message, properties)
  }
  if (dropped)
    core.info(
      `${plural(dropped, 'more annotation')} not shown: the runner shows 10 per level per step. All are in the job summary and the JSON report.`
    )
}

async function fail(error: unknown): Promise<void> {
  if (error instanceof ConfigError) {
    for (const problem of error.problems) {
      core.error(problem.message + (problem.path ? ` (at ${problem.path})` : ''), {
        file: problem.file,
        ...(problem.line > 0 && { startLine: problem.line, startColumn: problem.col })
      })
    }
    core.setFailed(`${plural(error.problems.length, 'problem')} in the configuration`)
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
