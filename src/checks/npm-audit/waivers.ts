import type { Waiver } from '../../config/model.js'
import { isExpired } from '../../engine/waivers.js'
import type { AuditFinding } from './parse.js'

export interface WaiverMatch {
  /** Findings still counted. */
  open: AuditFinding[]
  /** Findings a waiver in force covers, with the waiver. */
  waived: Array<{ finding: AuditFinding; waiver: Waiver }>
  /** Waivers past their date: they waive nothing. */
  expired: Waiver[]
  /** Waivers in force that matched no finding: probably stale, worth removing. */
  unused: Waiver[]
}

/**
 * Applies finding-level waivers: one matches a finding by advisory id (GHSA, or a CVE alias when
 * the report names it; case-insensitive),
 * narrowed to a package and/or a dependency path when given. Expired waivers match nothing.
 */
export function applyAuditWaivers(
  findings: AuditFinding[],
  waivers: Waiver[],
  now: Date
): WaiverMatch {
  const findingWaivers = waivers.filter((waiver) => waiver.id || waiver.package || waiver.path)
  const expired = findingWaivers.filter((waiver) => isExpired(waiver, now))
  const active = findingWaivers.filter((waiver) => !isExpired(waiver, now))
  const used = new Set<Waiver>()
  const open: AuditFinding[] = []
  const waived: WaiverMatch['waived'] = []
  for (const finding of findings) {
    const waiver = active.find((candidate) => matches(candidate, finding))
    if (waiver) {
      used.add(waiver)
      waived.push({ finding, waiver })
    } else open.push(finding)
  }
  return { open, waived, expired, unused: active.filter((waiver) => !used.has(waiver)) }
}

function matches(waiver: Waiver, finding: AuditFinding): boolean {
  const ids = [finding.advisoryId, ...(finding.aliases ?? [])].map((id) => id.toLowerCase())
  if (waiver.id && !ids.includes(waiver.id.toLowerCase())) return false
  if (waiver.package && waiver.package !== finding.package) return false
  if (
    waiver.path &&
    !finding.paths.some((path) => path === waiver.path || path.endsWith(`/${waiver.path}`))
  )
    return false
  return true
}
