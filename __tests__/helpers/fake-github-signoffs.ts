import type { IncomingMessage } from 'node:http'
import { shaped } from './github-samples.js'

/** What the fake knows of pull requests, reviews, comments, issues, teams and commits. */
export interface FakeSignoffState {
  pulls: Map<number, { author: string; headSha: string; labels?: string[]; merged?: boolean }>
  reviews: Map<
    number,
    Array<{ user: string; state: string; commitId: string; submittedAt?: string }>
  >
  /** Comments by issue or pull request number; `id` is given to those the API wrote. */
  comments: Map<number, Array<{ id?: number; user: string; body: string; createdAt: string }>>
  issues: Array<{ number: number; labels: string[]; pullRequest?: boolean; createdAt: string }>
  /** `org/slug` -> member logins, or `forbidden` when the token may not read the team. */
  teams: Map<string, string[] | 'forbidden'>
  /** login (lower case) -> role on the repository; anyone else reads it, as on a public repository. */
  roles: Map<string, 'read' | 'triage' | 'write' | 'maintain' | 'admin'>
  commitPulls: Map<string, number[]>
  /** sha -> committer date (ISO). */
  commits: Map<string, string>
}

export function emptySignoffState(): FakeSignoffState {
  return {
    pulls: new Map(),
    reviews: new Map(),
    comments: new Map(),
    issues: [],
    teams: new Map(),
    roles: new Map(),
    commitPulls: new Map(),
    commits: new Map()
  }
}

export const SIGNOFF_ROUTES: Array<{ operationId: string; method: string; pattern: RegExp }> = [
  { operationId: 'pulls/get', method: 'GET', pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/ },
  {
    operationId: 'pulls/list-reviews',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/reviews$/
  },
  {
    operationId: 'issues/list-comments',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
  },
  {
    operationId: 'issues/list-for-repo',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues$/
  },
  {
    operationId: 'teams/get-membership-for-user-in-org',
    method: 'GET',
    pattern: /^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/
  },
  {
    operationId: 'repos/get-collaborator-permission-level',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/
  },
  {
    operationId: 'repos/list-pull-requests-associated-with-commit',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/commits\/([0-9a-f]+)\/pulls$/
  },
  {
    operationId: 'git/get-commit',
    method: 'GET',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/git\/commits\/([0-9a-f]+)$/
  }
]

type Reply = (status: number, body: unknown, headers?: Record<string, string>) => void

/**
 * Answers one sign-off read from `state`, shaped by GitHub's response schema (`schemaOf`), and
 * paginated as GitHub does: `per_page` (default 30, at most 100), `page`, a Link header.
 */
export function serveSignoffRead(
  operationId: string,
  match: RegExpExecArray,
  request: IncomingMessage,
  state: FakeSignoffState,
  schemaOf: (operationId: string) => Record<string, unknown>,
  reply: Reply
): void {
  const url = new URL(request.url ?? '/', `http://${request.headers.host}`)
  const [owner, repo] = [match[1]!, match[2]!]
  const item = (over: unknown) => {
    const schema = schemaOf(operationId)
    return shaped((schema.type === 'array' ? schema.items : schema) as never, over)
  }
  const notFound = () =>
    reply(404, {
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  const user = (login: string) => ({
    login,
    id: [...login].reduce((sum, char) => sum * 31 + char.charCodeAt(0), 7) % 1e9,
    url: `https://api.github.com/users/${encodeURIComponent(login)}`,
    html_url: `https://github.com/${encodeURIComponent(login)}`,
    type: login.endsWith('[bot]') ? 'Bot' : 'User'
  })
  const page = (all: unknown[]) => {
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? 30))
    const current = Number(url.searchParams.get('page') ?? 1)
    const last = Math.max(1, Math.ceil(all.length / perPage))
    const link = (n: number) => {
      const next = new URL(url)
      next.searchParams.set('page', String(n))
      next.searchParams.set('per_page', String(perPage))
      return next.toString()
    }
    const links = [
      ...(current < last
        ? [`<${link(current + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`]
        : []),
      ...(current > 1 ? [`<${link(1)}>; rel="first"`, `<${link(current - 1)}>; rel="prev"`] : [])
    ]
    reply(
      200,
      all.slice((current - 1) * perPage, current * perPage),
      links.length ? { link: links.join(', ') } : {}
    )
  }
  const pullBody = (number: number) => {
    const pull = state.pulls.get(number)!
    return item({
      number,
      state: pull.merged ? 'closed' : 'open',
      merged_at: pull.merged ? '2026-11-20T12:00:00Z' : null,
      user: user(pull.author),
      head: { sha: pull.headSha, ref: `feature-${number}` },
      labels: (pull.labels ?? []).map((name, index) => ({ id: index + 1, name, color: 'ededed' })),
      html_url: `https://github.com/${owner}/${repo}/pull/${number}`
    })
  }

  switch (operationId) {
    case 'pulls/get': {
      const number = Number(match[3])
      return state.pulls.has(number) ? reply(200, pullBody(number)) : notFound()
    }
    case 'pulls/list-reviews': {
      const number = Number(match[3])
      if (!state.pulls.has(number)) return notFound()
      return page(
        (state.reviews.get(number) ?? []).map((review, index) =>
          item({
            id: 80_000 + index,
            user: user(review.user),
            state: review.state,
            commit_id: review.commitId,
            submitted_at: review.submittedAt ?? '2026-11-20T10:00:00Z',
            body: ''
          })
        )
      )
    }
    case 'issues/list-comments':
      return page(
        (state.comments.get(Number(match[3])) ?? []).map((comment, index) =>
          item({
            id: comment.id ?? 90_000 + index,
            user: user(comment.user),
            body: comment.body,
            created_at: comment.createdAt,
            updated_at: comment.createdAt,
            html_url: `https://github.com/${owner}/${repo}/issues/${match[3]}#issuecomment-${comment.id ?? 90_000 + index}`
          })
        )
      )
    case 'issues/list-for-repo': {
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean)
      const issues = state.issues
        .filter((issue) => labels.every((label) => issue.labels.includes(label)))
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      return page(
        issues.map((issue) =>
          item({
            number: issue.number,
            state: 'open',
            created_at: issue.createdAt,
            labels: issue.labels.map((name, index) => ({ id: index + 1, name })),
            ...(issue.pullRequest && {
              pull_request: {
                url: `https://api.github.com/repos/${owner}/${repo}/pulls/${issue.number}`
              }
            })
          })
        )
      )
    }
    case 'teams/get-membership-for-user-in-org': {
      const members = state.teams.get(`${match[1]}/${match[2]}`)
      if (members === 'forbidden')
        return reply(403, {
          message: 'Resource not accessible by integration',
          documentation_url:
            'https://docs.github.com/rest/teams/members#get-team-membership-for-a-user',
          status: '403'
        })
      if (!members?.some((member) => member.toLowerCase() === match[3]!.toLowerCase()))
        return notFound()
      return reply(
        200,
        item({
          url: `https://api.github.com/teams/1/memberships/${match[3]}`,
          role: 'member',
          state: 'active'
        })
      )
    }
    case 'repos/get-collaborator-permission-level': {
      const role = state.roles.get(match[3]!.toLowerCase()) ?? 'read'
      // The older `permission` field folds maintain into write and triage into read.
      const permission = { maintain: 'write', triage: 'read' }[role as string] ?? role
      return reply(200, item({ permission, role_name: role, user: user(match[3]!) }))
    }
    case 'repos/list-pull-requests-associated-with-commit':
      return page((state.commitPulls.get(match[3]!) ?? []).map(pullBody))
    case 'git/get-commit': {
      const date = state.commits.get(match[3]!)
      if (!date) return notFound()
      return reply(
        200,
        item({
          sha: match[3],
          committer: { name: 'Dev', email: 'dev@example.com', date },
          author: { name: 'Dev', email: 'dev@example.com', date }
        })
      )
    }
  }
}

/** The comment writes: create on an issue or pull request, update and delete by comment id. */
export const COMMENT_ROUTES: Array<{ operationId: string; method: string; pattern: RegExp }> = [
  {
    operationId: 'issues/create-comment',
    method: 'POST',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/
  },
  {
    operationId: 'issues/update-comment',
    method: 'PATCH',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/
  },
  {
    operationId: 'issues/delete-comment',
    method: 'DELETE',
    pattern: /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/
  }
]

/** The login the fake's token writes as: GITHUB_TOKEN's. */
export const TOKEN_LOGIN = 'github-actions[bot]'
let nextCommentId = 500_000

/**
 * Writes a comment into `state` (so the list operation sees it), answering as GitHub does; a
 * comment someone else wrote cannot be edited or deleted with the token (403).
 */
export function serveCommentWrite(
  operationId: string,
  match: RegExpExecArray,
  body: Record<string, unknown> | undefined,
  state: FakeSignoffState,
  schemaOf: (operationId: string, status: string) => Record<string, unknown>,
  reply: Reply
): void {
  const [owner, repo] = [match[1]!, match[2]!]
  const shape = (
    status: string,
    comment: { id: number; body: string; createdAt: string },
    number: number
  ) =>
    shaped(schemaOf(operationId, status) as never, {
      id: comment.id,
      body: comment.body,
      user: {
        login: TOKEN_LOGIN,
        id: 41898282,
        type: 'Bot',
        url: `https://api.github.com/users/${encodeURIComponent(TOKEN_LOGIN)}`,
        html_url: `https://github.com/apps/github-actions`
      },
      created_at: comment.createdAt,
      updated_at: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      html_url: `https://github.com/${owner}/${repo}/issues/${number}#issuecomment-${comment.id}`
    })
  if (operationId === 'issues/create-comment') {
    const number = Number(match[3])
    const comment = {
      id: nextCommentId++,
      user: TOKEN_LOGIN,
      body: String(body?.body ?? ''),
      createdAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z')
    }
    state.comments.set(number, [...(state.comments.get(number) ?? []), comment])
    return reply(201, shape('201', comment, number))
  }
  const id = Number(match[3])
  for (const [number, comments] of state.comments) {
    const index = comments.findIndex((comment) => comment.id === id)
    if (index === -1) continue
    const comment = comments[index]!
    if (comment.user !== TOKEN_LOGIN)
      return reply(403, { message: 'Resource not accessible by integration', status: '403' })
    if (operationId === 'issues/delete-comment') {
      comments.splice(index, 1)
      return reply(204, undefined)
    }
    comment.body = String(body?.body ?? '')
    return reply(200, shape('200', { ...comment, id }, number))
  }
  reply(404, {
    message: 'Not Found',
    documentation_url: 'https://docs.github.com/rest',
    status: '404'
  })
}
