/** Pure rules of sign-offs: which reviews and comments count, and what is still missing. */
import type { CommentFacts, ReviewFacts } from '../../model/types.js'

/** Roles on a repository, weakest first. */
export const ROLES = ['none', 'read', 'triage', 'write', 'maintain', 'admin'] as const
export type Role = (typeof ROLES)[number]

/**
 * Who may sign: listed users, members of listed teams (`org/team`), anyone whose role on the
 * repository is at least `permission`; anyone when none is given (approvals only: the schema asks
 * a comment for one of them, since anyone may comment on a public repository).
 */
export interface Signers {
  users?: string[]
  teams?: string[]
  permission?: Exclude<Role, 'none' | 'read'>
}

/** Whether `role` is at least `wanted`; an unknown role counts as none. */
export function roleAtLeast(role: string, wanted: Role): boolean {
  return ROLES.indexOf(role as Role) >= ROLES.indexOf(wanted)
}

/** Whether one user may sign, and why not. `unreadable`: membership could not be read (fail closed). */
export type Eligibility =
  { ok: true; via: string } | { ok: false; why: string; unreadable?: boolean }

export interface Signature {
  user: string
  at?: string
  /** How the user qualifies: `listed`, `@org/qa`, or `any reviewer`. */
  via: string
  note?: string
  url?: string
}

export interface RuleVerdict {
  met: boolean
  /** Who signed, for the summary and the evidence. */
  signatures: Signature[]
  /** Reviews or comments that did not count, with the reason. */
  rejected: string[]
  /** What is still missing, and how to give it. */
  missing?: string
}

export const lower = (name: string): string => name.toLowerCase()

/** `@alice, @bob or a member of @acme/qa`, for "needs an approval from …". */
export function describeSigners(signers: Signers): string {
  const names = [
    ...(signers.users ?? []).map((user) => `@${user}`),
    ...(signers.teams ?? []).map((team) => `a member of @${team}`),
    ...(signers.permission ? [`someone with ${signers.permission} access`] : [])
  ]
  if (!names.length) return ''
  return ` from ${names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`}`
}

/**
 * Approvals that count: each reviewer's latest decisive review (APPROVED, CHANGES_REQUESTED or
 * DISMISSED; comments change nothing) is an approval of `headSha`, by an eligible user who is
 * not the pull request's author.
 */
export function judgeApprovals(
  reviews: ReviewFacts[],
  context: { author: string; headSha: string; count: number; signers: Signers },
  eligibility: Map<string, Eligibility>
): RuleVerdict {
  const latest = new Map<string, ReviewFacts>()
  for (const review of reviews)
    if (['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(review.state))
      latest.set(lower(review.user), review)
  const signatures: Signature[] = []
  const rejected: string[] = []
  const short = context.headSha.slice(0, 7)
  for (const review of latest.values()) {
    const who = `@${review.user}`
    if (review.state === 'DISMISSED') {
      rejected.push(`${who}: approval dismissed`)
      continue
    }
    if (review.state === 'CHANGES_REQUESTED') {
      rejected.push(`${who}: requested changes`)
      continue
    }
    if (review.commitId !== context.headSha) {
      rejected.push(
        `${who}: approved ${review.commitId.slice(0, 7)}, an older commit than ${short}`
      )
      continue
    }
    if (lower(review.user) === lower(context.author)) {
      rejected.push(`${who}: the pull request's author`)
      continue
    }
    const eligible = eligibility.get(lower(review.user))
    if (!eligible?.ok) {
      rejected.push(`${who}: ${eligible?.why ?? 'not an allowed signer'}`)
      continue
    }
    signatures.push({
      user: review.user,
      via: eligible.via,
      ...(review.submittedAt && { at: review.submittedAt.toISOString() })
    })
  }
  return verdictOf(
    signatures,
    rejected,
    context.count,
    (needed) =>
      `needs ${needed} more approval${needed === 1 ? '' : 's'}${describeSigners(context.signers)} on ${short}`
  )
}

const COMMAND = /^\/release-gates\s+(sign-?off|revoke)\s+(\S+)(?:[ \t]+(.*))?$/i

/**
 * Sign-off comments: `/release-gates sign-off <gate-id> [note]` on a line of its own, by an
 * eligible user, made after `since` (the head commit); a later `/release-gates revoke <gate-id>`
 * by the same user withdraws it. Comments are taken oldest first.
 */
export function judgeComments(
  comments: CommentFacts[],
  context: { gateId: string; since: Date; sinceSha: string; count: number; signers: Signers },
  eligibility: Map<string, Eligibility>
): RuleVerdict {
  const signed = new Map<string, Signature>()
  const rejected: string[] = []
  const ordered = [...comments].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
  for (const comment of ordered) {
    for (const line of comment.body.split(/\r?\n/)) {
      const command = COMMAND.exec(line.trim())
      if (!command || command[2] !== context.gateId) continue
      const key = lower(comment.user)
      const who = `@${comment.user}`
      if (/^revoke$/i.test(command[1]!)) {
        if (signed.delete(key))
          rejected.push(`${who}: revoked at ${comment.createdAt.toISOString()}`)
        continue
      }
      if (comment.createdAt < context.since) {
        rejected.push(
          `${who}: signed at ${comment.createdAt.toISOString()}, before ${context.sinceSha.slice(0, 7)} was committed`
        )
        continue
      }
      const eligible = eligibility.get(key)
      if (!eligible?.ok) {
        rejected.push(`${who}: ${eligible?.why ?? 'not an allowed signer'}`)
        continue
      }
      signed.set(key, {
        user: comment.user,
        via: eligible.via,
        at: comment.createdAt.toISOString(),
        url: comment.url,
        ...(command[3]?.trim() && { note: command[3].trim() })
      })
    }
  }
  return verdictOf(
    [...signed.values()],
    rejected,
    context.count,
    (needed) =>
      `needs ${needed} more sign-off comment${needed === 1 ? '' : 's'} \`/release-gates sign-off ${context.gateId}\`${describeSigners(context.signers)}, after ${context.sinceSha.slice(0, 7)}`
  )
}

/** Met with `count` signatures; else what is missing, for the number still needed. */
function verdictOf(
  signatures: Signature[],
  rejected: string[],
  count: number,
  missing: (needed: number) => string
): RuleVerdict {
  const needed = count - signatures.length
  return { met: needed <= 0, signatures, rejected, ...(needed > 0 && { missing: missing(needed) }) }
}

/** Users named by sign-off commands for this gate: the ones whose eligibility must be looked up. */
export function commentSigners(comments: CommentFacts[], gateId: string): string[] {
  const users = new Set<string>()
  for (const comment of comments)
    for (const line of comment.body.split(/\r?\n/)) {
      const command = COMMAND.exec(line.trim())
      if (command && command[2] === gateId && !/^revoke$/i.test(command[1]!))
        users.add(comment.user)
    }
  return [...users]
}
