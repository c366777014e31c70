import * as core from '@actions/core'
import type { Report } from '../model/report.js'
import type { GitHubContext } from '../model/types.js'
import type { GitHubClient } from '../github/octokit.js'
import { syncPullRequestComment } from '../github/pr-comment.js'
import { commentMarker, renderPullRequestComment } from '../report/pr-comment.js'
import type { Inputs } from './inputs.js'

/**
 * What the pull request's comment should say after this run: its text, nothing (delete it), or
 * leave it alone. `on-failure` creates none on a pass, but updates one a failure left, so the
 * conversation never shows a failure that was fixed.
 */
export function commentDecision(
  mode: Inputs['comment'],
  passed: boolean,
  deleteWhenPassed: boolean
): 'write' | 'update-only' | 'delete' | 'skip' {
  if (mode === 'never') return 'skip'
  if (passed && deleteWhenPassed) return 'delete'
  if (passed && mode === 'on-failure') return 'update-only'
  return 'write'
}

/**
 * Keeps the run's comment on its pull request: on pull_request events, and on the fork-safe
 * workflow_run path (the pull request the untrusted run was for). A token that may not write
 * comments costs a warning, never the run's verdict.
 */
export async function publishComment(
  report: Report,
  inputs: Inputs,
  prefix: string,
  github: GitHubContext | undefined,
  octokit: GitHubClient | undefined
): Promise<void> {
  const decision = commentDecision(
    inputs.comment,
    report.result === 'passed',
    inputs.deleteCommentWhenPassed
  )
  if (decision === 'skip') return
  const number = github?.pullRequest?.number ?? github?.workflowRunPullRequest
  if (!octokit || !github?.owner || !github.repo || number === undefined) {
    core.info(
      `comment: ${inputs.comment}, but ${number === undefined ? 'this run is for no pull request' : 'there is no token'}: no comment.`
    )
    return
  }
  const marker = commentMarker(prefix)
  const target = { owner: github.owner, repo: github.repo, number }
  try {
    const body =
      decision === 'delete' ? undefined : renderPullRequestComment(report, { marker, prefix })
    const action =
      decision === 'update-only'
        ? await syncPullRequestComment(octokit, target, marker, body, { create: false })
        : await syncPullRequestComment(octokit, target, marker, body)
    core.info(`Pull request #${number}: comment ${action}.`)
  } catch (error) {
    const status = (error as { status?: number }).status
    core.warning(
      `The pull request comment could not be written (${status ?? (error as Error).message})${status === 403 ? ': the workflow needs `pull-requests: write`' : ''}. The results are in the check runs and the job summary.`
    )
  }
}
