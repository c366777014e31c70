import type {
  CommitCheck,
  RepositorySettingsSource,
  RequiredCheck,
  SettingRead
} from '../model/types.js'
import type { GitHubClient } from './octokit.js'

const statusOf = (error: unknown) => (error as { status?: number }).status

/** A read the token may not make becomes the permission it needs; anything else is thrown. */
async function read<T>(permission: string, body: () => Promise<T>): Promise<SettingRead<T>> {
  try {
    return { value: await body() }
  } catch (error) {
    const status = statusOf(error)
    if (status === 403 || status === 401)
      return { unreadable: `the token may not read this (HTTP ${status}): it needs ${permission}` }
    throw error
  }
}

/** GitHub counts these conclusions as a required check met. */
const PASSING_CONCLUSIONS = new Set(['success', 'neutral', 'skipped'])

export interface SettingsSourceOptions {
  /** The overall check's name this run writes; `<prefix> / …` names its gates' runs. */
  checkPrefix?: string
  /** This workflow run's URL: its jobs' check runs link below it. */
  runUrl?: string
}

/**
 * The repository's settings through read-only REST calls: the default branch, its classic
 * protection and its rulesets, secret scanning and push protection, Dependabot alerts,
 * deployment environments, and the checks on a commit.
 */
export function createSettingsSource(
  octokit: GitHubClient,
  owner: string,
  repo: string,
  options: SettingsSourceOptions = {}
): RepositorySettingsSource {
  const { checkPrefix, runUrl } = options
  const isOwnCheck = (name: string) =>
    checkPrefix !== undefined && (name === checkPrefix || name.startsWith(`${checkPrefix} / `))
  let repository: Promise<{ default_branch: string; security_and_analysis?: unknown }> | undefined
  const getRepository = () =>
    (repository ??= octokit.rest.repos.get({ owner, repo }).then(({ data }) => data))
  return {
    defaultBranch: () => read('metadata: read', async () => (await getRepository()).default_branch),

    branchRules: (branch) =>
      read('metadata: read', async () => {
        const checks: RequiredCheck[] = []
        const notes: string[] = []
        let isProtected = false
        // Rulesets are readable with metadata: read; classic protection needs administration: read.
        const rules = await octokit.paginate(octokit.rest.repos.getBranchRules, {
          owner,
          repo,
          branch,
          per_page: 100
        })
        for (const rule of rules) {
          isProtected = true
          if (rule.type !== 'required_status_checks') continue
          for (const check of rule.parameters?.required_status_checks ?? [])
            checks.push({
              context: check.context,
              ...(check.integration_id !== undefined && { appId: check.integration_id }),
              from: 'ruleset'
            })
        }
        try {
          const { data } = await octokit.rest.repos.getBranchProtection({ owner, repo, branch })
          isProtected = true
          for (const check of data.required_status_checks?.checks ?? [])
            checks.push({
              context: check.context,
              ...(check.app_id !== null && { appId: check.app_id }),
              from: 'branch protection'
            })
        } catch (error) {
          const status = statusOf(error)
          if (status === 403 || status === 401)
            notes.push(
              'classic branch protection could not be read (it needs administration: read); rulesets were'
            )
          else if (status !== 404) throw error
        }
        return { protected: isProtected, checks, notes }
      }),

    secretScanning: () =>
      read('administration: read', async () => {
        const analysis = (await getRepository()).security_and_analysis as
          Record<string, { status?: string } | undefined> | null | undefined
        // GitHub leaves it out for a token without admin rights: unknown, never "disabled".
        if (!analysis)
          throw Object.assign(new Error('security_and_analysis not shown'), { status: 403 })
        return {
          scanning: analysis.secret_scanning?.status ?? 'disabled',
          pushProtection: analysis.secret_scanning_push_protection?.status ?? 'disabled'
        }
      }),

    dependabotAlerts: () =>
      read('administration: read', async () => {
        try {
          await octokit.rest.repos.checkVulnerabilityAlerts({ owner, repo })
          return true
        } catch (error) {
          if (statusOf(error) === 404) return false
          throw error
        }
      }),

    environment: (name) =>
      read('actions: read (or metadata: read)', async () => {
        try {
          const { data } = await octokit.rest.repos.getEnvironment({
            owner,
            repo,
            environment_name: name
          })
          let reviewers = 0
          let waitMinutes = 0
          for (const rule of data.protection_rules ?? []) {
            const shaped = rule as { type?: string; reviewers?: unknown[]; wait_timer?: number }
            if (shaped.type === 'required_reviewers') reviewers += shaped.reviewers?.length ?? 0
            if (shaped.type === 'wait_timer') waitMinutes = shaped.wait_timer ?? 0
          }
          return { exists: true, reviewers, waitMinutes }
        } catch (error) {
          if (statusOf(error) === 404) return { exists: false, reviewers: 0, waitMinutes: 0 }
          throw error
        }
      }),

    isOwnCheck,

    commitChecks: (sha) =>
      read('checks: read and statuses: read', async () => {
        const checks: CommitCheck[] = []
        // filter=latest (GitHub's default): a re-run replaces the run it re-ran.
        const runs = await octokit.paginate(octokit.rest.checks.listForRef, {
          owner,
          repo,
          ref: sha,
          filter: 'latest',
          per_page: 100
        })
        for (const run of runs) {
          const completed = run.status === 'completed'
          checks.push({
            name: run.name,
            source: 'check run',
            result: (completed ? run.conclusion : run.status) ?? 'unknown',
            state: !completed
              ? 'pending'
              : PASSING_CONCLUSIONS.has(run.conclusion ?? '')
                ? 'passed'
                : 'failed',
            ...(run.app?.id !== undefined && { appId: run.app.id }),
            own: Boolean(run.external_id?.startsWith('release-gates:')) || isOwnCheck(run.name),
            thisRun: Boolean(runUrl && run.details_url?.startsWith(`${runUrl}/`))
          })
        }
        // Newest first: the first status of each context is its latest.
        const statuses = await octokit.paginate(octokit.rest.repos.listCommitStatusesForRef, {
          owner,
          repo,
          ref: sha,
          per_page: 100
        })
        const seen = new Set<string>()
        for (const status of statuses) {
          if (seen.has(status.context)) continue
          seen.add(status.context)
          checks.push({
            name: status.context,
            source: 'status',
            result: status.state,
            state:
              status.state === 'success'
                ? 'passed'
                : status.state === 'pending'
                  ? 'pending'
                  : 'failed',
            own: isOwnCheck(status.context),
            thisRun: false
          })
        }
        return checks
      })
  }
}
