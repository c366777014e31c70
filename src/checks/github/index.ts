import type { KindDefinition } from '../../engine/run-plan.js'
import type { PlannedGate } from '../../config/model.js'
import type {
  Outcome,
  RepositorySettingsSource,
  SettingRead,
  Workspace
} from '../../model/types.js'
import { plural } from '../../util/text.js'
import { describeFailure, renderAssertions } from '../shared/assertions.js'
import type { Assertion } from '../shared/assertions.js'
import { optionsOf } from '../shared/options.js'

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

  if (options.protected || options['requires-check'] !== undefined) {
    const branch =
      options.branch ?? (await valueOr(settings.defaultBranch(), unreadable, 'default branch'))
    if (branch !== undefined) await judgeBranch(settings, branch, options, assertions)
  }
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

async function judgeBranch(
  settings: RepositorySettingsSource,
  branch: string,
  options: { protected?: boolean; 'requires-check'?: string },
  assertions: Assertion[]
): Promise<void> {
  const read = await settings.branchRules(branch)
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
export const definition: KindDefinition = { name: 'github', run: githubCheck }
