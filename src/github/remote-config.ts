import type { RemoteFile, RemoteReader } from '../config/remote.js'
import type { GitHubClient } from './octokit.js'

/**
 * Reads `extends: github:OWNER/REPO/PATH@REF` through the API: the ref resolved to its commit
 * (recorded in the report), then the file at that commit, so every file of one run comes from
 * one commit of the shared repository. Each failure says what to do about it.
 */
export function remoteGatesReader(octokit: GitHubClient): RemoteReader {
  return async (file) => {
    const sha = /^[0-9a-f]{40}$/.test(file.ref) ? file.ref : await commitOf(octokit, file)
    try {
      const response = await octokit.rest.repos.getContent({
        owner: file.owner,
        repo: file.repo,
        path: file.path,
        ref: sha,
        mediaType: { format: 'raw' }
      })
      return { text: String(response.data), sha }
    } catch (error) {
      throw new Error(
        why(error, file, `${file.owner}/${file.repo} has no ${file.path} at ${file.ref}`)
      )
    }
  }
}

/** The reader, with its client made on the first read, not before. */
export function lazyRemoteReader(client: () => GitHubClient): RemoteReader {
  let reader: RemoteReader | undefined
  return (file) => (reader ??= remoteGatesReader(client()))(file)
}

async function commitOf(octokit: GitHubClient, file: RemoteFile): Promise<string> {
  try {
    const { data } = await octokit.rest.repos.getCommit({
      owner: file.owner,
      repo: file.repo,
      ref: file.ref
    })
    return data.sha
  } catch (error) {
    throw new Error(
      why(
        error,
        file,
        `no ref ${file.ref} in ${file.owner}/${file.repo}, or the repository is private and the token cannot see it (it needs contents: read there; GITHUB_TOKEN reads only its own repository)`
      )
    )
  }
}

function why(error: unknown, file: RemoteFile, notFound: string): string {
  const status = (error as { status?: number }).status
  const headers = (error as { response?: { headers?: Record<string, string> } }).response?.headers
  if (status === 404) return notFound
  if (status === 429 || (status === 403 && headers?.['x-ratelimit-remaining'] === '0')) {
    const reset = Number(headers?.['x-ratelimit-reset'])
    return `the GitHub API rate limit is spent${Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : ''}: run again later, or with a token of a higher limit`
  }
  if (status === 403 || status === 401)
    return `the token may not read ${file.owner}/${file.repo} (HTTP ${status}): it needs contents: read there`
  return `HTTP ${status ?? 'error'}: ${(error as Error).message}`
}
