import type { ManualOptions } from '../../config/generated/options.js'
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, PullRequestFacts, SignoffSource, Workspace } from '../../model/types.js'
import { cell } from '../../util/text.js'
import {
  commentSigners,
  describeSigners,
  judgeApprovals,
  judgeComments,
  lower,
  roleAtLeast
} from './signoff-rules.js'
import type { Eligibility, RuleVerdict, Signers } from './signoff-rules.js'

export type SignoffOptions = NonNullable<ManualOptions['signoff']>

interface RuleResult extends RuleVerdict {
  rule: 'approvals' | 'comment' | 'label'
}

/**
 * A manual gate met only by evidence GitHub authenticates, bound to the commit being released:
 * approvals on the pull request's head, sign-off comments after it, a label. Every rule that is
 * configured must hold; unmet is `action_required`, saying what is missing and how to give it.
 */
export async function signoffOutcome(
  gate: PlannedGate,
  options: SignoffOptions,
  workspace: Workspace,
  instructions: string[]
): Promise<Outcome> {
  const source = workspace.signoffs
  const github = workspace.github
  if (!source || !github?.owner)
    return pending(
      gate,
      instructions,
      'Sign-offs are read from GitHub: this run has no GitHub token and repository, so none could be verified. Run the action (its `token` input) on the pull request or the release.'
    )

  let pull: PullRequestFacts | undefined
  let pullNote: string
  if (github.pullRequest) {
    pull = await source.pullRequest(github.pullRequest.number)
    // The commit this run releases is the one reviewers must have seen.
    pull = { ...pull, headSha: github.pullRequest.headSha }
    pullNote = `pull request #${pull.number}`
  } else {
    const pulls = await source.pullRequestsForCommit(github.sha)
    pull =
      pulls.find((candidate) => candidate.merged) ??
      pulls.find((candidate) => candidate.headSha === github.sha)
    pullNote = pull
      ? `pull request #${pull.number}, which brought ${github.sha.slice(0, 7)} (${github.eventName})`
      : `no pull request brought ${github.sha.slice(0, 7)} (${github.eventName})`
  }
  const headSha = pull?.headSha ?? github.sha

  const eligible = async (users: string[], signers: Signers): Promise<Map<string, Eligibility>> => {
    const verdicts = new Map<string, Eligibility>()
    for (const user of users) verdicts.set(lower(user), await eligibilityOf(source, user, signers))
    return verdicts
  }

  const results: RuleResult[] = []
  if (options.approvals) {
    const signers = options.approvals
    if (!pull)
      results.push(
        noPull('approvals', `needs an approval${describeSigners(signers)} on a pull request`)
      )
    else {
      const reviews = await source.reviews(pull.number)
      const verdicts = await eligible(
        [
          ...new Set(
            reviews.filter((review) => review.state === 'APPROVED').map((review) => review.user)
          )
        ],
        signers
      )
      results.push({
        rule: 'approvals',
        ...judgeApprovals(
          reviews,
          { author: pull.author, headSha, count: signers.count ?? 1, signers },
          verdicts
        )
      })
    }
  }
  if (options.comment) {
    const signers = options.comment
    const places: number[] = []
    if (pull) places.push(pull.number)
    if (signers.issue !== undefined) places.push(signers.issue)
    if (signers.label) {
      const issue = await source.newestIssueWithLabel(signers.label)
      if (issue !== undefined) places.push(issue)
    }
    if (!places.length)
      results.push(
        noPull(
          'comment',
          `needs a comment \`/release-gates sign-off ${gate.id}\`${describeSigners(signers)} on a pull request${signers.label ? ` or an open issue labelled ${signers.label}` : ''}`
        )
      )
    else {
      const comments = (
        await Promise.all([...new Set(places)].map((place) => source.comments(place)))
      ).flat()
      const verdicts = await eligible(commentSigners(comments, gate.id), signers)
      const since = await source.commitDate(headSha)
      results.push({
        rule: 'comment',
        ...judgeComments(
          comments,
          { gateId: gate.id, since, sinceSha: headSha, count: signers.count ?? 1, signers },
          verdicts
        )
      })
    }
  }
  if (options.label !== undefined) {
    const has = pull?.labels.includes(options.label) ?? false
    results.push({
      rule: 'label',
      met: has,
      signatures: has ? [{ user: `label ${options.label}`, via: `on #${pull!.number}` }] : [],
      rejected: [],
      ...(!has && {
        missing: pull
          ? `needs the label ${options.label} on #${pull.number}`
          : `needs the label ${options.label} on a pull request`
      })
    })
  }

  const unmet = results.filter((result) => !result.met)
  const evidence = {
    commit: headSha,
    pullRequest: pull?.number ?? null,
    rules: results.map(({ rule, met, signatures, rejected, missing }) => ({
      rule,
      met,
      signatures,
      rejected,
      ...(missing && { missing })
    }))
  }
  const summary = [
    ...instructions,
    `Evidence read from ${pullNote}; the commit signed for is \`${headSha.slice(0, 7)}\`.`,
    renderResults(results)
  ].join('\n\n')
  if (unmet.length)
    return {
      conclusion: 'action_required',
      title: `Needs sign-off: ${unmet.map((result) => result.missing).join('; ')}`,
      summary,
      annotations: [],
      evidence
    }
  return {
    conclusion: 'success',
    title: `Signed off on ${headSha.slice(0, 7)}: ${results
      .map((result) =>
        result.rule === 'label'
          ? `label ${options.label}`
          : result.signatures.map((signature) => `@${signature.user}`).join(', ')
      )
      .join('; ')}`,
    summary,
    annotations: [],
    evidence
  }
}

/** Listed user, team member, or (with neither list) anyone; an unreadable team fails closed. */
async function eligibilityOf(
  source: SignoffSource,
  user: string,
  signers: Signers
): Promise<Eligibility> {
  const users = signers.users ?? []
  const teams = signers.teams ?? []
  const permission = signers.permission
  if (!users.length && !teams.length && !permission) return { ok: true, via: 'any reviewer' }
  if (users.some((listed) => lower(listed) === lower(user))) return { ok: true, via: 'listed' }
  const unreadable: string[] = []
  for (const team of teams) {
    const membership = await source.teamMembership(team, user)
    if ('unreadable' in membership) unreadable.push(membership.unreadable)
    else if (membership.member) return { ok: true, via: `@${team}` }
  }
  if (permission) {
    const role = await source.repositoryRole(user)
    if ('unreadable' in role) unreadable.push(role.unreadable)
    else if (roleAtLeast(role.role, permission)) return { ok: true, via: `${role.role} access` }
  }
  if (unreadable.length) return { ok: false, why: unreadable[0]!, unreadable: true }
  return {
    ok: false,
    why: `not ${[
      ...users.map((name) => `@${name}`),
      ...teams.map((team) => `in @${team}`),
      ...(permission ? [`with ${permission} access`] : [])
    ].join(' nor ')}`
  }
}

function noPull(rule: RuleResult['rule'], missing: string): RuleResult {
  return { rule, met: false, signatures: [], rejected: [], missing }
}

function pending(gate: PlannedGate, instructions: string[], why: string): Outcome {
  return {
    conclusion: 'action_required',
    title: `Needs sign-off: ${gate.name}`,
    summary: [...instructions, why].join('\n\n'),
    annotations: []
  }
}

function renderResults(results: RuleResult[]): string {
  const rows = results.map((result) => {
    const signed = result.signatures
      .map(
        (signature) =>
          `${signature.user.startsWith('label ') ? signature.user : `@${signature.user}`}${signature.via === 'listed' || signature.via.startsWith('on ') ? '' : ` (${signature.via})`}${signature.at ? ` at ${signature.at}` : ''}${signature.note ? `: "${signature.note}"` : ''}`
      )
      .join('; ')
    return `| ${result.met ? '✅' : '⏳'} | ${result.rule} | ${cell(signed || '—')} | ${cell(result.missing ?? '')} | ${cell(result.rejected.join('; ') || '—')} |`
  })
  return [
    '| | rule | signed | missing | not counted |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    results.some((result) => result.rule === 'label')
      ? '_A label is weaker evidence: anyone with triage access can add one, and it is not bound to a commit._'
      : ''
  ]
    .join('\n')
    .trim()
}
