import { readFileSync } from 'node:fs'
import { relative, resolve } from 'node:path'
import * as core from '@actions/core'
import { ConfigError } from '../config/errors.js'
import type { Report } from '../model/report.js'
import type { GitHubContext } from '../model/types.js'
import { EXIT } from '../util/exit-codes.js'
import { ChecksPermissionError, writeCheckRuns } from '../github/check-runs-writer.js'
import type { CheckRunStream, CheckRunTarget } from '../github/check-runs-writer.js'
import type { GitHubClient } from '../github/octokit.js'
import { checkRunsToWrite, planCheckRuns } from '../report/check-runs.js'
import type { CheckRunOptions } from '../report/check-runs.js'
import { renderConsoleReport } from '../report/console.js'
import { parseReport } from '../report/read-report.js'
import { renderJobSummary } from '../report/summary.js'
import { pickWorkflowAnnotations, RUNNER_LIMIT_PER_LEVEL } from '../report/workflow-annotations.js'
import { plural } from '../util/text.js'
import { publishComment } from './comment.js'
import type { Inputs } from './inputs.js'

/** Check runs could not be written and `check-runs: always` was asked for. */
export class ChecksRequiredError extends Error {}
/** The overall check's name, after the environment actually resolved (the input may be empty: defaults.environment). */
export function checkPrefixFor(inputs: { checkPrefix: string }, environment?: string): string {
  return inputs.checkPrefix || `Release gates${environment ? ` (${environment})` : ''}`
}

/** Annotation paths are from the checkout root; the gates may run in a folder below it. */
export function annotationPathPrefix(github: GitHubContext | undefined, cwd: string): string {
  return relative(github?.workspace ?? cwd, cwd)
    .split('\\')
    .join('/')
}

/** How check runs are planned from the inputs; `checkPrefix` already resolved (checkPrefixFor). */
export function checkRunOptions(
  inputs: Pick<Inputs, 'checkPrefix' | 'maxCheckRuns' | 'maxAnnotations'>,
  pathPrefix: string
): CheckRunOptions {
  return {
    prefix: inputs.checkPrefix,
    maxCheckRuns: inputs.maxCheckRuns,
    maxAnnotations: inputs.maxAnnotations,
    pathPrefix
  }
}

/** Where check runs go: the commit being released; none outside a repository's run. */
export function checkRunTarget(github: GitHubContext | undefined): CheckRunTarget | undefined {
  if (!github?.owner || !github.repo) return undefined
  return {
    owner: github.owner,
    repo: github.repo,
    headSha: github.sha,
    ...(github.runUrl && { detailsUrl: github.runUrl })
  }
}

/** Check runs (or the fallback), job summary, outputs and exit code: the same for every report. */
export async function publish(
  report: Report,
  reportPath: string,
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  cwd: string,
  stream?: CheckRunStream
): Promise<void> {
  const pathPrefix = annotationPathPrefix(github, cwd)
  const prefix = checkPrefixFor(inputs, report.environment)
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
    pathPrefix,
    stream
  )
  if (!publication.written)
    annotateWithWorkflowCommands(report, pathPrefix, publication.warningsLogged)
  // One comment per pull request, from the whole plan: a shard leaves it to the merge.
  if (!report.shard) await publishComment(report, inputs, prefix, github, octokit)
  if (report.result === 'failed')
    core.setFailed(`Required gates unmet: ${report.failedGates.join(', ')}`)
}
/**
 * Publishes a report an earlier, untrusted run wrote (a pull request from a fork evaluates with a
 * read-only token and uploads it; a workflow_run workflow publishes it). Nothing is evaluated
 * here, so no code from the pull request runs with the write token. A report for another
 * commit is refused: it could be replayed onto this one.
 */
export async function publishEarlierReport(
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
/**
 * Whether check runs carry the results (if not, the fallback must), and how many warnings the
 * attempt logged (they count against the runner's 10 per level).
 */
export async function publishCheckRuns(
  report: Report,
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  pathPrefix: string,
  stream?: CheckRunStream
): Promise<{ written: boolean; warningsLogged: number }> {
  if (inputs.checkRuns === 'never') return { written: false, warningsLogged: 0 }
  const target = checkRunTarget(github)
  if (!octokit || !github || !target) {
    const why = !github ? 'not running in GitHub Actions' : 'no token'
    if (inputs.checkRuns === 'always')
      throw new ChecksRequiredError(`check-runs: always, but check runs cannot be written: ${why}`)
    core.info(`Check runs skipped (${why}); the results are in the job summary.`)
    return { written: false, warningsLogged: 0 }
  }
  const plan = planCheckRuns(report, checkRunOptions(inputs, pathPrefix))
  if (plan.grouped) {
    core.info(
      `${plural(report.gates.length, 'gate')} exceed max-check-runs (${inputs.maxCheckRuns}): one check run per section (${plan.runs.length - 1}), every item a row in it, to stay inside GitHub's write budget.`
    )
  }
  try {
    const written = stream
      ? await stream.finish(report)
      : await writeCheckRuns(octokit, target, { ...plan, runs: checkRunsToWrite(plan, report) })
    const during = 'streamed' in written ? ` (${written.streamed} while the gates ran)` : ''
    core.info(
      `Wrote ${plural(written.created.length, 'check run')}${during} on ${github.sha.slice(0, 7)} in ${plural(written.requests, 'request')}; require '${inputs.checkPrefix}' in branch protection.`
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
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  try {
    await core.summary.addRaw(markdown).write()
  } catch (error) {
    core.warning(`The job summary could not be written: ${(error as Error).message}`)
  }
}
export function permissionAdvice(message: string, github: GitHubContext): string {
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
export function annotateWithWorkflowCommands(
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
