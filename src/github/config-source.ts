import { relative } from 'node:path'
import { isInside } from '../util/inside.js'
import type { TextReader } from '../config/source.js'
import type { GitHubContext } from '../model/types.js'
import type { GitHubClient } from './octokit.js'

/**
 * Which commit the gates file is read from. `head` reads the checkout (what the PR changed);
 * `base` reads the PR's base commit through the API, so a pull request cannot weaken its own
 * gates by editing the file (or a file it extends); any other value is a ref to read at.
 */
export function resolveConfigRef(
  input: string,
  github: GitHubContext | undefined
): { ref?: string; why: string } {
  const requested = input || (github?.eventName === 'pull_request_target' ? 'base' : 'head')
  if (requested === 'head') return { why: 'the checked-out files' }
  if (requested === 'base') {
    const base = github?.pullRequest?.baseSha ?? github?.baseSha
    if (!base)
      throw new Error(
        `config-ref 'base' needs a pull_request, pull_request_target or merge_group event; this is '${github?.eventName ?? 'not GitHub Actions'}'`
      )
    return { ref: base, why: `the base commit ${base.slice(0, 7)}` }
  }
  return { ref: requested, why: `ref ${requested}` }
}

/**
 * Reads repository files at `ref` through the contents API. Paths are resolved against the
 * repository root (`root`); a file the API does not have reads as missing (ENOENT).
 */
export function apiFileReader(
  octokit: GitHubClient,
  target: { owner: string; repo: string; ref: string },
  root: string
): TextReader {
  return async (absolutePath) => {
    const path = relative(root, absolutePath).split('\\').join('/')
    if (!isInside(root, absolutePath))
      throw Object.assign(new Error(`${absolutePath} is outside the repository`), {
        code: 'EOUTSIDE'
      })
    try {
      const response = await octokit.rest.repos.getContent({
        owner: target.owner,
        repo: target.repo,
        path,
        ref: target.ref,
        mediaType: { format: 'raw' }
      })
      return String(response.data)
    } catch (error) {
      const status = (error as { status?: number }).status
      if (status === 404)
        throw Object.assign(new Error(`${path} does not exist at ${target.ref}`), {
          code: 'ENOENT'
        })
      throw Object.assign(
        new Error(
          `cannot read ${path} at ${target.ref} through the API: ${(error as Error).message}`
        ),
        {
          code:
            status === 403
              ? `HTTP 403 (the token needs contents: read)`
              : `HTTP ${status ?? 'error'}`
        }
      )
    }
  }
}
