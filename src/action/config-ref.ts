import * as core from '@actions/core'
import { ConfigError } from '../config/errors.js'
import type { GitHubContext } from '../model/types.js'
import { apiFileReader, resolveConfigRef } from '../github/config-source.js'
import type { GitHubClient } from '../github/octokit.js'
import type { Inputs } from './inputs.js'

/** On pull requests the gates file may be read from the base commit, so a PR cannot weaken it. */
export function configReader(
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
