import { explain as explainPep440, major as pep440Major } from '@renovatebot/pep440'
import semver from 'semver'
import type { Ecosystem } from '../dependencies/model.js'
import { COMPARE } from '../osv/versions.js'
import type { Release, Releases } from './releases.js'

/** How far an installed version is behind the latest release. */
export interface Lag {
  /** The newest release one can move to (see `latestOf`). */
  latest: string
  /** The registry's own latest, when it is not one to move to, and why. */
  tagged?: { version: string; why: string }
  /** Major versions between the installed one and latest (0 on the latest major). */
  majorsBehind: number
  /**
   * Days since a newer release than the installed one has been out (its earliest publication);
   * 0 when none is. Pre-releases and withdrawn releases do not count as newer.
   */
  daysBehind: number
  /** The newer release that came out first, the one `daysBehind` counts from. */
  since?: { version: string; published: Date }
  /** Why a figure could not be worked out (a version the ecosystem cannot order). */
  unknown?: string
}

const majorOf: Partial<Record<Ecosystem, (version: string) => number | undefined>> = {
  npm: (version) => semver.parse(version, { loose: true })?.major,
  PyPI: (version) => {
    try {
      return pep440Major(version)
    } catch {
      return undefined
    }
  }
}

const isPrerelease: Partial<Record<Ecosystem, (version: string) => boolean>> = {
  npm: (version) => (semver.prerelease(version, { loose: true })?.length ?? 0) > 0,
  // PEP 440: a, b, rc and .dev releases (the library's reading, not a pattern of ours).
  PyPI: (version) => explainPep440(version)?.is_prerelease ?? false
}

/**
 * The newest release to move to, as npm picks it: the registry's latest, unless it is withdrawn
 * (a deprecated stub) or does not run on the project's Node.js; then the highest release below it
 * that is neither.
 */
export function latestOf(
  ecosystem: Ecosystem,
  releases: Releases,
  node?: string
): { version: string; tagged?: { version: string; why: string } } {
  const compare = COMPARE[ecosystem]
  const why = (release: Release | undefined): string | undefined =>
    release?.withdrawn
      ? ecosystem === 'npm'
        ? 'deprecated'
        : 'yanked'
      : node && release?.node && !runsOn(release.node, node)
        ? `needs node ${release.node}`
        : undefined
  const tagged = releases.versions.find((release) => release.version === releases.latest)
  const problem = why(tagged)
  if (!problem) return { version: releases.latest }
  const fallback = releases.versions
    .filter(
      (release) =>
        !why(release) &&
        !isPrerelease[ecosystem]?.(release.version) &&
        (compare(release.version, releases.latest) ?? 1) < 0
    )
    .sort((a, b) => compare(b.version, a.version) ?? 0)[0]
  return {
    version: fallback?.version ?? releases.latest,
    tagged: { version: releases.latest, why: problem }
  }
}

/** Whether a package's engines.node range admits the project's Node.js (a version or a range). */
function runsOn(range: string, node: string): boolean {
  try {
    return semver.valid(node)
      ? semver.satisfies(node, range, { includePrerelease: true })
      : semver.intersects(range, node)
  } catch {
    return true
  }
}

/**
 * The lag of `installed` behind the registry's releases at `now`; `node` (the project's
 * engines.node, or the node it runs on) rules out releases that would not run there.
 */
export function lagOf(
  ecosystem: Ecosystem,
  installed: string,
  registry: Releases,
  now: Date,
  node?: string
): Lag {
  const compare = COMPARE[ecosystem]
  const picked = latestOf(ecosystem, registry, node)
  const releases = { ...registry, latest: picked.version }
  const major = majorOf[ecosystem]
  const installedMajor = major?.(installed)
  const latestMajor = major?.(releases.latest)
  if (
    installedMajor === undefined ||
    latestMajor === undefined ||
    compare(installed, releases.latest) === undefined
  )
    return {
      latest: releases.latest,
      majorsBehind: 0,
      daysBehind: 0,
      unknown: `cannot order ${installed} against ${releases.latest}`
    }
  const newer = releases.versions
    .filter(
      (release) =>
        release.published &&
        !release.withdrawn &&
        !(node && release.node && !runsOn(release.node, node)) &&
        !isPrerelease[ecosystem]?.(release.version) &&
        (compare(release.version, installed) ?? 0) > 0 &&
        (compare(release.version, releases.latest) ?? 1) <= 0
    )
    .sort((a, b) => a.published!.getTime() - b.published!.getTime())
  const first = newer[0]
  return {
    latest: releases.latest,
    ...(picked.tagged && { tagged: picked.tagged }),
    majorsBehind: Math.max(0, latestMajor - installedMajor),
    daysBehind: first
      ? Math.max(0, Math.floor((now.getTime() - first.published!.getTime()) / 86_400_000))
      : 0,
    ...(first && { since: { version: first.version, published: first.published! } })
  }
}
