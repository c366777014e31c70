import { resolve } from 'node:path'
import * as core from '@actions/core'
import { ConfigError } from '../config/errors.js'
import type { Durations } from '../engine/shard.js'
import type { GitHubContext } from '../model/types.js'
import { writeCheckRuns } from '../github/check-runs-writer.js'
import type { GitHubClient } from '../github/octokit.js'
import { renderConsoleReport } from '../report/console.js'
import { writeJsonReport } from '../report/json.js'
import { mergeShardReports } from '../report/merge-reports.js'
import type { ShardReport } from '../report/merge-reports.js'
import { durationsOf, readReportFile, readShardReports } from '../report/report-files.js'
import { EXIT } from '../util/exit-codes.js'
import { plural } from '../util/text.js'
import type { Inputs } from './inputs.js'
import { checkPrefixFor, checkRunTarget, publish, writeSummary } from './publish.js'

/** The gates' durations in an earlier report, to balance the shards. */
export function readShardDurations(path: string, cwd: string): Durations {
  try {
    return durationsOf(readReportFile(path, cwd))
  } catch (error) {
    throw ConfigError.single('action input', `'shard-durations': ${(error as Error).message}`)
  }
}

/**
 * The job after the shards: reads every shard's report, proves they are all N shards of one
 * plan on this commit, and publishes them as one run would have — the overall check, the job
 * summary, the outputs, the comment. Nothing is evaluated. Shards that do not make a whole plan
 * fail the overall check with the reason, so branch protection sees a failure, not a gap.
 */
export async function publishMergedReports(
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined,
  cwd: string
): Promise<void> {
  let parts: ShardReport[]
  try {
    parts = readShardReports(inputs.mergeReports, cwd)
  } catch (error) {
    throw ConfigError.single('action input', `'merge-reports': ${(error as Error).message}`)
  }
  for (const part of parts)
    if (github && part.report.github?.sha !== github.sha)
      throw ConfigError.single(
        'action input',
        `'merge-reports': ${part.source} is for commit ${part.report.github?.sha ?? '(none)'}, this run is for ${github.sha}; refusing to publish it here`
      )
  const merged = mergeShardReports(parts)
  if ('problems' in merged) return failMerge(merged.problems, parts, inputs, github, octokit)
  const report = merged.report
  core.info(
    `Merged ${plural(parts.length, 'shard report')} (${inputs.mergeReports}): ${plural(report.gates.length, 'gate')}; nothing is evaluated here.`
  )
  core.info(renderConsoleReport(report, { color: true, width: 160 }))
  const reportPath = resolve(
    inputs.reportPath || resolve(process.env.RUNNER_TEMP ?? cwd, 'release-gates-report.json')
  )
  await writeJsonReport(report, reportPath)
  await publish(report, reportPath, inputs, github, octokit, cwd)
}

async function failMerge(
  problems: string[],
  parts: ShardReport[],
  inputs: Inputs,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined
): Promise<void> {
  const title = `The shards do not make one whole plan: ${problems[0]}`
  const summary = [
    `## ❌ Release gates failed: the shards' reports cannot be merged`,
    `Read ${parts.length ? parts.map((part) => `\`${part.source}\``).join(', ') : 'no file'} (\`merge-reports: ${inputs.mergeReports}\`).`,
    ...problems.map((problem) => `- ${problem}`),
    'A gate no shard evaluated is not a gate that passed: re-run the missing shards.'
  ].join('\n\n')
  core.setOutput('result', 'failed')
  core.setOutput('failed-gates', '[]')
  await writeSummary(summary)
  const target = checkRunTarget(github)
  if (octokit && target && inputs.checkRuns !== 'never') {
    // Named as the shards' plan names it: what branch protection requires.
    const environment = parts[0]?.report.environment
    await writeCheckRuns(octokit, target, {
      grouped: false,
      runs: [
        {
          name: checkPrefixFor(inputs, inputs.environment || environment),
          conclusion: 'failure',
          startedAt: new Date().toISOString(),
          completedAt: new Date().toISOString(),
          title: title.slice(0, 1000),
          summary,
          annotations: [],
          gateIds: []
        }
      ]
    })
  }
  process.exitCode = EXIT.unmet
  core.setFailed(title)
}
