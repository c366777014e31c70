import { compare as comparePep440, valid as validPep440 } from '@renovatebot/pep440'
import semver from 'semver'
import type { Ecosystem } from '../dependencies/model.js'
import { pypiName } from '../dependencies/names.js'
import type { OsvAffected, OsvEvent, OsvRecord } from './record.js'

/** Compares two versions the way the ecosystem orders them; undefined when one does not parse. */
export type Compare = (a: string, b: string) => number | undefined

const bySemver: Compare = (a, b) => {
  const left = semver.valid(a, { loose: true })
  const right = semver.valid(b, { loose: true })
  return left && right ? semver.compare(left, right, { loose: true }) : undefined
}

/** PEP 440 for PyPI (pre-, post- and dev-releases, epochs), through a library, not by hand. */
const byPep440: Compare = (a, b) =>
  validPep440(a) !== null && validPep440(b) !== null ? comparePep440(a, b) : undefined

/**
 * How OSV orders versions of each ecosystem: npm, Go and crates.io are SemVer (OSV's `SEMVER`
 * and their `ECOSYSTEM` ranges alike), PyPI is PEP 440.
 */
export const COMPARE: Record<Ecosystem, Compare> = {
  npm: bySemver,
  'crates.io': bySemver,
  Go: bySemver,
  PyPI: byPep440
}

/** Whether a record's affected entry is about this package (PyPI names normalised, Go packages inside the module). */
export function namesPackage(affected: OsvAffected, ecosystem: Ecosystem, name: string): boolean {
  const package_ = affected.package
  if (!package_?.name || package_.ecosystem?.split(':')[0] !== ecosystem) return false
  if (ecosystem === 'PyPI') return pypiName(package_.name) === pypiName(name)
  // Go: a record may name a package (golang.org/x/text/language) of the module (golang.org/x/text).
  if (ecosystem === 'Go') return package_.name === name || package_.name.startsWith(`${name}/`)
  return package_.name === name
}

export interface Affects {
  /** Whether the version is affected. */
  affected: boolean
  /** The version that fixes the range holding it, when a range says. */
  fixed?: string
  /** The range could not be evaluated: a version that does not parse in the ecosystem. */
  unknown?: string
}

/**
 * Whether `version` of the package is affected by the record, and the fix: an explicit
 * `versions` entry, or a SEMVER/ECOSYSTEM range whose events (sorted in the ecosystem's order)
 * leave it introduced and not fixed. GIT ranges say nothing about released versions.
 */
export function affects(
  record: OsvRecord,
  ecosystem: Ecosystem,
  name: string,
  version: string
): Affects {
  if (record.withdrawn) return { affected: false }
  const compare = COMPARE[ecosystem]
  let unknown: string | undefined
  for (const entry of record.affected ?? []) {
    if (!namesPackage(entry, ecosystem, name)) continue
    const listed = entry.versions?.includes(version) ?? false
    for (const range of entry.ranges ?? []) {
      if (range.type !== 'SEMVER' && range.type !== 'ECOSYSTEM') continue
      const verdict = inRange(range.events, version, compare)
      if (verdict === undefined) {
        unknown = `${record.id}: cannot order ${version} against its range in ${ecosystem}`
        continue
      }
      if (verdict.affected)
        return { affected: true, ...(verdict.fixed && { fixed: verdict.fixed }) }
    }
    if (listed) return { affected: true }
  }
  return { affected: false, ...(unknown && { unknown }) }
}

function inRange(
  events: OsvEvent[],
  version: string,
  compare: Compare
): { affected: boolean; fixed?: string } | undefined {
  const at = (event: OsvEvent) =>
    event.introduced ?? event.fixed ?? event.last_affected ?? event.limit ?? '0'
  // "0" is OSV's "before every version"; any other event version must parse.
  const cmp = (a: string, b: string): number | undefined =>
    a === b ? 0 : a === '0' ? -1 : b === '0' ? 1 : compare(a, b)
  if (compare(version, version) === undefined) return undefined
  if (events.some((event) => cmp(at(event), version) === undefined)) return undefined
  const sorted = [...events].sort((a, b) => cmp(at(a), at(b)) ?? 0)
  let affected = false
  let fixed: string | undefined
  // Walk the events in order: the state after the last event at or below the version decides;
  // the first fix above it, while affected, is the version to upgrade to.
  for (const event of sorted) {
    const relation = cmp(at(event), version)!
    if (event.introduced !== undefined) {
      if (relation <= 0) {
        affected = true
        fixed = undefined
      }
    } else if (event.fixed !== undefined) {
      if (relation <= 0) affected = false
      else if (affected && fixed === undefined) fixed = event.fixed
    } else if (event.last_affected !== undefined) {
      if (relation < 0) affected = false
    } else if (event.limit !== undefined && relation <= 0) affected = false
  }
  return { affected, ...(affected && fixed && { fixed }) }
}
