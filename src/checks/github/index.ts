import type { KindDefinition } from '../../engine/run-plan.js'
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, RequiredCheck, SettingRead, Workspace } from '../../model/types.js'
import { plural } from '../../util/text.js'
import { describeFailure, renderAssertions } from '../shared/assertions.js'
import type { Assertion } from '../shared/assertions.js'
import { optionsOf } from '../shared/options.js'
import { formatDuration, parseDuration } from '../../util/duration.js'
import { judgeCommitChecks } from './commit-checks.js'
import type { ChecksGreenMode } from './commit-checks.js'
import { setTimeout as sleep } from 'node:timers/promises'

/** The GitHub Actions app: a required check bound to it can only be set by a workflow. */
export const GITHUB_ACTIONS_APP_ID = 15368

/**
 * The repository itself is set up safely: its branch protected and requiring the release check,
 * secret scanning with push protection, Dependabot alerts, a protected deployment environment.
 * Read-only API calls; a setting the token cannot read fails the gate with the permission it
 * needs, never passes.
 */
export async function githubCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'github')
  const settings = workspace.settings
  if (!settings) {
    const title =
      'Repository settings cannot be read: no token and repository (run in GitHub Actions)'
    return { conclusion: 'failure', title, summary: title, annotations: [] }
  }
  const assertions: Assertion[] = []
  const unreadable = (what: string, expected: string, read: { unreadable: string }) =>
    assertions.push({ what, expected, got: `unknown: ${read.unreadable}`, ok: false })

  const wantsBranch = options.protected || options['requires-check'] !== undefined
  const wantsRules = wantsBranch || options['checks-green'] === 'required'
  const branch = wantsRules
    ? (options.branch ?? (await valueOr(settings.defaultBranch(), unreadable, 'default branch')))
    : undefined
  // One read of the branch's rules serves both protection and the required checks.
  const rules = branch === undefined ? undefined : settings.branchRules(branch)
  if (wantsBranch && branch !== undefined) await judgeBranch(branch, rules!, options, assertions)
  if (options['secret-scanning']) {
    const read = await settings.secretScanning()
    if ('unreadable' in read) unreadable('secret scanning', 'enabled, with push protection', read)
    else {
      assertions.push({
        what: 'secret scanning',
        expected: 'enabled',
        got: read.value.scanning,
        ok: read.value.scanning === 'enabled'
      })
      assertions.push({
        what: 'push protection',
        expected: 'enabled',
        got: read.value.pushProtection,
        ok: read.value.pushProtection === 'enabled'
      })
    }
  }
  if (options['dependabot-alerts']) {
    const read = await settings.dependabotAlerts()
    if ('unreadable' in read) unreadable('Dependabot alerts', 'enabled', read)
    else
      assertions.push({
        what: 'Dependabot alerts',
        expected: 'enabled',
        got: read.value ? 'enabled' : 'disabled',
        ok: read.value
      })
  }
  if (options.environment !== undefined) {
    const what = `environment ${options.environment}`
    const read = await settings.environment(options.environment)
    if ('unreadable' in read)
      unreadable(what, 'exists, with required reviewers or a wait timer', read)
    else {
      const { exists, reviewers, waitMinutes } = read.value
      assertions.push({
        what,
        expected: 'exists, with required reviewers or a wait timer',
        got: !exists
          ? 'does not exist'
          : reviewers || waitMinutes
            ? [
                reviewers && plural(reviewers, 'required reviewer'),
                waitMinutes && `a ${waitMinutes}-minute wait timer`
              ]
                .filter(Boolean)
                .join(' and ')
            : 'exists, unprotected: anyone who can run a workflow deploys to it',
        ok: exists && (reviewers > 0 || waitMinutes > 0)
      })
    }
  }
  if (options['checks-green'] !== undefined) {
    const mode = options['checks-green']
    const required = mode === 'required' ? await rules : { value: { checks: [] } }
    const sha = workspace.github?.sha
    if (!sha)
      assertions.push({
        what: 'checks on the commit',
        expected: 'passed',
        got: 'unknown: no commit to read them on (run in GitHub Actions)',
        ok: false
      })
    else if (required && 'unreadable' in required)
      unreadable('required checks', 'each passed on the commit', required)
    else if (required)
      assertions.push(
        ...(await judgeChecksGreen(mode, sha, required.value.checks, options, gate, workspace))
      )
  }
  const failed = assertions.filter((assertion) => !assertion.ok)
  return {
    conclusion: failed.length ? 'failure' : 'success',
    title: failed.length
      ? `${failed.length} of ${plural(assertions.length, 'repository setting')} not as required: ${describeFailure(failed[0]!)}`
      : `The repository is set up as required (${plural(assertions.length, 'setting')})`,
    summary: renderAssertions(assertions),
    annotations: []
  }
}

/**
 * Reads the checks on the commit until none is running (or not reported yet) or the wait is
 * over, then judges them: a check still running is not green.
 */
async function judgeChecksGreen(
  mode: ChecksGreenMode,
  sha: string,
  required: RequiredCheck[],
  options: { 'wait-for-checks'?: number | string },
  gate: PlannedGate,
  workspace: Workspace
): Promise<Assertion[]> {
  const settings = workspace.settings!
  const wanted = options['wait-for-checks'] ? parseDuration(options['wait-for-checks']) : 0
  // Leave a tenth of the gate's time to report which checks still ran, not a bare timeout.
  const waitMs = Math.min(wanted, gate.timeoutMs * 0.9)
  const pollMs = Math.min(POLL_MS, Math.max(1000, waitMs / 10))
  const deadline = Date.now() + waitMs
  for (;;) {
    const read = await settings.commitChecks(sha)
    if ('unreadable' in read)
      return [
        {
          what: 'checks on the commit',
          expected: 'passed',
          got: `unknown: ${read.unreadable}`,
          ok: false
        }
      ]
    const verdict = judgeCommitChecks(mode, read.value, required, (name) =>
      settings.isOwnCheck(name)
    )
    const left = deadline - Date.now()
    if (!verdict.waitingFor.length || left <= 0) return verdict.assertions
    workspace.logger.info(
      `Waiting for ${plural(verdict.waitingFor.length, 'check')} on ${sha.slice(0, 7)}: ${verdict.waitingFor.join(', ')} (up to ${formatDuration(left)} more)`
    )
    await sleep(Math.min(pollMs, left), undefined, { signal: workspace.signal })
  }
}

/** GitHub's own guidance for polling check runs is no faster than this. */
const POLL_MS = 15_000

async function judgeBranch(
  branch: string,
  rules: Promise<SettingRead<{ protected: boolean; checks: RequiredCheck[]; notes: string[] }>>,
  options: { protected?: boolean; 'requires-check'?: string },
  assertions: Assertion[]
): Promise<void> {
  const read = await rules
  if ('unreadable' in read) {
    assertions.push({
      what: `branch ${branch}`,
      expected: 'protected',
      got: `unknown: ${read.unreadable}`,
      ok: false
    })
    return
  }
  const { checks, notes } = read.value
  const note = notes.length ? ` (${notes.join('; ')})` : ''
  assertions.push({
    what: `branch ${branch}`,
    expected: 'protected (branch protection or a ruleset)',
    got: read.value.protected ? 'protected' : `not protected${note}`,
    ok: read.value.protected
  })
  const wanted = options['requires-check']
  if (wanted === undefined) return
  const named = checks.filter((check) => check.context === wanted)
  const bound = named.find((check) => check.appId === GITHUB_ACTIONS_APP_ID)
  assertions.push({
    what: `required check ${wanted}`,
    expected: 'required, set by GitHub Actions only',
    got: bound
      ? `required by the ${bound.from}, bound to GitHub Actions`
      : named.length
        ? `required, but ${named.map((check) => (check.appId === undefined ? `from any source (${check.from})` : `bound to app ${check.appId} (${check.from})`)).join(', ')}: a same-named status from anyone else would satisfy it`
        : `not required${checks.length ? `; required: ${checks.map((check) => check.context).join(', ')}` : ''}${note}`,
    ok: Boolean(bound)
  })
}

async function valueOr<T>(
  pending: Promise<SettingRead<T>>,
  unreadable: (what: string, expected: string, read: { unreadable: string }) => void,
  what: string
): Promise<T | undefined> {
  const read = await pending
  if ('unreadable' in read) {
    unreadable(what, 'readable', read)
    return undefined
  }
  return read.value
}

/** The `github` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'github', cpuBound: false, run: githubCheck }
