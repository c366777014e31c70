/**
 * `extends: github:OWNER/REPO/PATH@REF`: a gates file another repository holds (an
 * organisation's shared gates), read through the API at a commit. Inside the loader a remote file
 * has a path under REMOTE_ROOT that carries the resolved commit, so the files it extends by
 * `./relative` path are read from the same repository at the same commit.
 */

export interface RemoteFile {
  owner: string
  repo: string
  path: string
  ref: string
}

/** Reads one remote file: its text, and the commit sha its ref resolved to. */
export type RemoteReader = (file: RemoteFile) => Promise<{ text: string; sha: string }>

/** A remote gates file the configuration came from, as the report records it. */
export interface RemoteSource {
  /** As written: `github:org/policy/gates.yml@v1`. */
  name: string
  /** The commit it was read at. */
  sha: string
}

const REMOTE_ROOT = '/@github'
const NAME = /^github:([A-Za-z0-9][A-Za-z0-9-]*)\/([A-Za-z0-9._-]+)\/([^@]+)@([^@\s]+)$/

/** The parts of `github:OWNER/REPO/PATH@REF`, or why the name is not one. */
export function parseRemoteName(name: string): RemoteFile | { error: string } {
  const match = NAME.exec(name)
  if (!match)
    return {
      error: `'${name}' is not github:OWNER/REPO/PATH@REF (the @REF is required: a tag or a commit sha, so the shared gates cannot change under you)`
    }
  const [, owner, repo, path, ref] = match as unknown as [string, string, string, string, string]
  if (path.split('/').some((part) => part === '..' || part === ''))
    return { error: `'${name}': the path must stay inside ${owner}/${repo}` }
  return { owner, repo, path, ref }
}

/** The loader's path of a remote file at a resolved commit. */
export function remotePath(file: Omit<RemoteFile, 'ref'>, sha: string): string {
  return `${REMOTE_ROOT}/${file.owner}/${file.repo}@${sha}/${file.path}`
}

/** The repository root, at its commit, that a remote file's relative `extends` must stay in. */
export function remoteRoot(path: string): string | undefined {
  const match = /^\/@github\/[^/]+\/[^/]+@[^/]+/.exec(path)
  return match?.[0]
}

/** A remote file as a reader sees it: owner, repo, path and the commit, from its loader path. */
export function remoteFileOf(path: string): (RemoteFile & { sha: string }) | undefined {
  const match = /^\/@github\/([^/]+)\/([^/@]+)@([^/]+)\/(.+)$/.exec(path)
  if (!match) return undefined
  const [, owner, repo, sha, file] = match as unknown as [string, string, string, string, string]
  return { owner, repo, path: file, ref: sha, sha }
}

/** How a remote file is shown in messages: `github:org/policy/gates.yml@1a2b3c4`. */
export function describeRemote(path: string): string | undefined {
  const file = remoteFileOf(path)
  return file && `github:${file.owner}/${file.repo}/${file.path}@${file.sha.slice(0, 12)}`
}
