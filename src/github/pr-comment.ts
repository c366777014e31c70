import type { GitHubClient } from './octokit.js'

export type CommentAction = 'created' | 'updated' | 'deleted' | 'unchanged' | 'none'

/**
 * Keeps one comment per pull request and marker: found among the bot's own comments by its
 * hidden marker, updated in place (never a new one per run), created when there is none, deleted
 * when `body` is undefined. A same-marker comment a person wrote is never touched.
 */
export async function syncPullRequestComment(
  octokit: GitHubClient,
  target: { owner: string; repo: string; number: number },
  marker: string,
  body: string | undefined,
  options: { create?: boolean } = {}
): Promise<CommentAction> {
  const { owner, repo, number } = target
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: number,
    per_page: 100
  })
  const ours = comments.find(
    (comment) => comment.user?.type === 'Bot' && comment.body?.startsWith(marker)
  )
  if (body === undefined) {
    if (!ours) return 'none'
    await octokit.rest.issues.deleteComment({ owner, repo, comment_id: ours.id })
    return 'deleted'
  }
  if (!ours) {
    if (options.create === false) return 'none'
    await octokit.rest.issues.createComment({ owner, repo, issue_number: number, body })
    return 'created'
  }
  if (ours.body === body) return 'unchanged'
  await octokit.rest.issues.updateComment({ owner, repo, comment_id: ours.id, body })
  return 'updated'
}
