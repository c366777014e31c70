import type {
  CommentFacts,
  Membership,
  PullRequestFacts,
  RepositoryRole,
  ReviewFacts,
  SignoffSource
} from '../model/types.js'
import type { GitHubClient } from './octokit.js'

interface PullLike {
  number: number
  user: { login: string } | null
  head: { sha: string }
  labels: Array<{ name?: string } | string>
  state: string
  merged_at?: string | null
}

function pullFacts(pull: PullLike): PullRequestFacts {
  return {
    number: pull.number,
    author: pull.user?.login ?? '',
    headSha: pull.head.sha,
    labels: pull.labels.map((label) => (typeof label === 'string' ? label : (label.name ?? ''))),
    state: pull.state,
    merged: Boolean(pull.merged_at)
  }
}

/**
 * Sign-off evidence through the REST API: every list read to its last page (100 a page), so a
 * pull request with hundreds of reviews or comments is judged on all of them.
 */
export function createSignoffSource(
  octokit: GitHubClient,
  owner: string,
  repo: string
): SignoffSource {
  return {
    async pullRequest(number) {
      const { data } = await octokit.rest.pulls.get({ owner, repo, pull_number: number })
      return pullFacts(data)
    },
    async pullRequestsForCommit(sha) {
      const pulls = await octokit.paginate(
        octokit.rest.repos.listPullRequestsAssociatedWithCommit,
        {
          owner,
          repo,
          commit_sha: sha,
          per_page: 100
        }
      )
      return pulls.map(pullFacts)
    },
    async reviews(pullNumber) {
      const reviews = await octokit.paginate(octokit.rest.pulls.listReviews, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100
      })
      return reviews.map((review): ReviewFacts => ({
        user: review.user?.login ?? '',
        state: review.state,
        commitId: review.commit_id ?? '',
        ...(review.submitted_at && { submittedAt: new Date(review.submitted_at) })
      }))
    },
    async comments(issueNumber) {
      const comments = await octokit.paginate(octokit.rest.issues.listComments, {
        owner,
        repo,
        issue_number: issueNumber,
        per_page: 100
      })
      return comments.map((comment): CommentFacts => ({
        user: comment.user?.login ?? '',
        body: comment.body ?? '',
        createdAt: new Date(comment.created_at),
        url: comment.html_url
      }))
    },
    async newestIssueWithLabel(label) {
      const { data } = await octokit.rest.issues.listForRepo({
        owner,
        repo,
        labels: label,
        state: 'open',
        sort: 'created',
        direction: 'desc',
        per_page: 10
      })
      // Pull requests are issues too in this list; a release issue is not one.
      return data.find((issue) => !issue.pull_request)?.number
    },
    async teamMembership(team, user): Promise<Membership> {
      const [org, slug] = team.split('/') as [string, string]
      try {
        const { data } = await octokit.rest.teams.getMembershipForUserInOrg({
          org,
          team_slug: slug,
          username: user
        })
        return { member: data.state === 'active' }
      } catch (error) {
        const status = (error as { status?: number }).status
        if (status === 404) return { member: false }
        return {
          unreadable: `GitHub answered ${status ?? 'an error'} when asked whether @${user} is in @${team}: the token needs read:org (GITHUB_TOKEN cannot read teams; use a GitHub App or a PAT with read:org)`
        }
      }
    },
    async repositoryRole(user): Promise<RepositoryRole> {
      try {
        const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
          owner,
          repo,
          username: user
        })
        // role_name knows triage and maintain; the older `permission` folds them into read/write.
        return { role: data.role_name || data.permission }
      } catch (error) {
        const status = (error as { status?: number }).status
        if (status === 404) return { role: 'none' }
        return {
          unreadable: `GitHub answered ${status ?? 'an error'} when asked for @${user}'s role on ${owner}/${repo}: the token needs metadata: read on the repository`
        }
      }
    },
    async commitDate(sha) {
      const { data } = await octokit.rest.git.getCommit({ owner, repo, commit_sha: sha })
      return new Date(data.committer.date)
    }
  }
}
