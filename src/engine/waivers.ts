import picomatch from 'picomatch'
import type { PlannedGate, Waiver } from '../config/model.js'
import { FINDING_SELECTORS } from '../config/model.js'
import type { AppliedWaiver } from '../model/report.js'
import { MET_CONCLUSIONS } from '../model/report.js'
import type { Finding, Outcome } from '../model/types.js'
import { plural } from '../util/text.js'

/** A waiver waives through the day before `expires`; from that day on it is expired. */
export function isExpired(waiver: Pick<Waiver, 'expires'>, now: Date): boolean {
  return now.toISOString().slice(0, 10) >= waiver.expires
}

const namesFindings = (waiver: Waiver) => FINDING_SELECTORS.some((key) => waiver[key] !== undefined)

/** Waivers that name no finding: they waive the gate as a whole. */
export function gateLevelWaivers(gate: PlannedGate): Waiver[] {
  return gate.waivers.filter((waiver) => !namesFindings(waiver))
}

/** What a finding waiver names, for a person reading the list. */
export const waiverTarget = (waiver: Waiver): string =>
  waiver.id ?? waiver.rule ?? waiver.fingerprint ?? waiver.package ?? waiver.path ?? '(gate)'

export interface FindingWaiverVerdict {
  outcome: Outcome
  /** Finding waivers past their date: they waive nothing. */
  expired: Waiver[]
  /** Finding waivers in force that matched no finding: probably stale, worth removing. */
  unused: Waiver[]
}

/**
 * Applies the waivers that name findings, for every kind: a waiver in force covers each finding
 * it matches by every selector it gives (`id` an advisory id, alias, rule or fingerprint;
 * `rule`; `fingerprint`; `package`; `path` a file glob or a dependency path), case-insensitive
 * for ids. A covered finding stops counting; when no blocking finding is left, a gate decided
 * by its findings is met. A gate whose tool could not run keeps its verdict: a waiver accepts
 * problems, never a check that did not happen.
 */
export function applyFindingWaivers(
  gate: PlannedGate,
  outcome: Outcome,
  now: Date
): FindingWaiverVerdict {
  const candidates = gate.waivers.filter(namesFindings)
  if (!candidates.length || !outcome.findings || !outcome.decidedByFindings)
    return { outcome, expired: [], unused: [] }
  const expired = candidates.filter((waiver) => isExpired(waiver, now))
  const active = candidates.filter((waiver) => !isExpired(waiver, now))
  const used = new Set<Waiver>()
  const findings = outcome.findings.map((finding): Finding => {
    const waiver = active.find((candidate) => covers(candidate, finding))
    if (!waiver) return finding
    used.add(waiver)
    const { owner, expires, reason, location } = waiver
    return { ...finding, blocking: false, waived: { owner, expires, reason, location } }
  })
  const unused = active.filter((waiver) => !used.has(waiver))
  const waived = findings.filter((finding) => finding.waived)
  const section = waiverLines(waived, expired, unused)
  if (!waived.length)
    return { outcome: { ...outcome, summary: outcome.summary + section }, expired, unused }
  const told = outcome.describe?.(findings) ?? {
    conclusion: findings.some((finding) => finding.blocking)
      ? outcome.conclusion
      : outcome.conclusion === 'failure'
        ? 'success'
        : outcome.conclusion,
    title: findings.some((finding) => finding.blocking)
      ? `${outcome.title} (${waived.length} waived)`
      : `No finding left unwaived (${plural(waived.length, 'waived finding')})`,
    summary: outcome.summary
  }
  return {
    outcome: { ...outcome, ...told, findings, summary: told.summary + section },
    expired,
    unused
  }
}

/**
 * Whether a waiver in force covers a finding: for a check that writes a file of its own while it
 * runs (the secrets gate's `sarif`), which must leave out what the engine will waive.
 */
export function waivedByAny(gate: PlannedGate, finding: Finding, now: Date): boolean {
  return gate.waivers
    .filter((waiver) => namesFindings(waiver) && !isExpired(waiver, now))
    .some((waiver) => covers(waiver, finding))
}

function covers(waiver: Waiver, finding: Finding): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase()
  if (
    waiver.id &&
    ![finding.rule, finding.fingerprint ?? '', ...(finding.aliases ?? [])].some((id) =>
      same(id, waiver.id!)
    )
  )
    return false
  if (waiver.rule && !same(waiver.rule, finding.rule)) return false
  if (waiver.fingerprint && waiver.fingerprint !== finding.fingerprint) return false
  if (waiver.package && waiver.package !== finding.package) return false
  if (waiver.path) {
    const inDependencies = (finding.dependencyPaths ?? []).some(
      (path) => path === waiver.path || path.endsWith(`/${waiver.path}`)
    )
    const inFile = finding.path !== undefined && picomatch(waiver.path, { dot: true })(finding.path)
    if (!inDependencies && !inFile) return false
  }
  return true
}

/** The list under a gate's summary: what is waived by whom until when, what expired, what matched nothing. */
function waiverLines(waived: Finding[], expired: Waiver[], unused: Waiver[]): string {
  const where = (finding: Finding) =>
    finding.package
      ? ` in \`${finding.package}\``
      : finding.path
        ? ` at \`${finding.path}${finding.line ? `:${finding.line}` : ''}\``
        : ''
  const lines = [
    ...waived.map(
      (finding) =>
        `- 🟡 ${finding.rule}${where(finding)} waived by ${finding.waived!.owner} until ${finding.waived!.expires} (\`${finding.waived!.location}\`): ${finding.waived!.reason}`
    ),
    ...expired.map(
      (waiver) =>
        `- ⌛ **expired** ${waiver.expires}: ${waiverTarget(waiver)} (${waiver.owner}, \`${waiver.location}\`): waives nothing any more`
    ),
    ...unused.map(
      (waiver) =>
        `- ❔ **unused**: ${waiverTarget(waiver)} (${waiver.owner}, \`${waiver.location}\`) matched no finding: remove it`
    )
  ]
  return lines.length ? `\n\nWaivers:\n\n${lines.join('\n')}` : ''
}

export interface WaiverVerdict {
  outcome: Outcome
  waiver?: AppliedWaiver
  expired: Waiver[]
}

/**
 * Applies gate-level waivers to an outcome: an unmet gate with a waiver in force becomes
 * `neutral` (met, and said to be waived); expired waivers waive nothing and are listed so
 * someone renews or removes them.
 */
export function applyGateWaivers(gate: PlannedGate, outcome: Outcome, now: Date): WaiverVerdict {
  const candidates = gateLevelWaivers(gate)
  const expired = candidates.filter((waiver) => isExpired(waiver, now))
  const active = candidates.find((waiver) => !isExpired(waiver, now))
  const expiredNote = expired.length
    ? '\n\n' +
      expired
        .map(
          (waiver) =>
            `> **Expired waiver** (${waiver.owner}, expired ${waiver.expires}, ${waiver.location}): ${waiver.reason}. It no longer waives this gate.`
        )
        .join('\n')
    : ''

  if (MET_CONCLUSIONS.has(outcome.conclusion) || !active) {
    return { outcome: { ...outcome, summary: outcome.summary + expiredNote }, expired }
  }
  const waiver: AppliedWaiver = {
    reason: active.reason,
    owner: active.owner,
    expires: active.expires,
    location: active.location,
    original: outcome.conclusion
  }
  return {
    outcome: {
      ...outcome,
      conclusion: 'neutral',
      title: `Waived until ${active.expires}: ${outcome.title}`,
      summary:
        `> **Waived** by ${active.owner} until ${active.expires} (${active.location}): ${active.reason}\n\n` +
        outcome.summary +
        expiredNote
    },
    waiver,
    expired
  }
}
