import type { KindDefinition } from '../../engine/run-plan.js'
import type { LicensesOptions } from '../../config/generated/options.js'
import type { PlannedGate } from '../../config/model.js'
import { collectDependencies } from '../../dependencies/collect.js'
import type { Dependency, Lockfile } from '../../dependencies/model.js'
import { fingerprintOf } from '../../engine/findings.js'
import type { FoundLicense } from '../../licenses/installed.js'
import { npmLicenses, pypiLicenses } from '../../licenses/installed.js'
import type { DeclaredLicense } from '../../licenses/spdx.js'
import { judgeLicense, readLicense } from '../../licenses/spdx.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import { cell, plural } from '../../util/text.js'
import { optionsOf } from '../shared/options.js'
import { failed } from '../shared/outcome.js'
import { resolveInside } from '../shared/paths.js'

export type { LicensesOptions }

interface Judged {
  lockfile: Lockfile
  dependency: Dependency
  found: FoundLicense
  declared: DeclaredLicense
  verdict: 'allowed' | 'denied' | 'unknown' | 'exception'
  detail: string
}

/**
 * The installed dependencies' licences against an allow or deny list of SPDX expressions, with
 * per-package exceptions. A licence that cannot be read is listed and, by default, fails: an
 * unreadable licence is not an allowed one.
 */
export async function licensesCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'licenses')
  if (!options.allow && !options.deny)
    return failed(
      'No licence policy',
      'Give `allow`, `deny` or both: without one nothing can be judged.'
    )
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const collected = await collectDependencies(workspace.cwd, dir, options)
  if ('problem' in collected) return failed(collected.problem.title, collected.problem.summary)
  const licenses = new Map<Dependency, FoundLicense>()
  for (const lockfile of collected.lockfiles) {
    const read =
      lockfile.ecosystem === 'npm'
        ? await npmLicenses(workspace.cwd, lockfile)
        : lockfile.ecosystem === 'PyPI'
          ? await pypiLicenses(workspace.cwd, lockfile, options['site-packages'])
          : new Map(
              lockfile.dependencies.map((dependency) => [
                dependency,
                { source: `${lockfile.ecosystem} licences are not read` }
              ])
            )
    for (const [dependency, found] of read) licenses.set(dependency, found)
  }
  const exceptions = new Set(options.exceptions ?? [])
  const policy = {
    ...(options.allow && { allow: options.allow }),
    ...(options.deny && { deny: options.deny })
  }
  const judged: Judged[] = collected.audited.map(({ lockfile, dependency }) => {
    const found = licenses.get(dependency) ?? { source: 'not read' }
    const declared = readLicense(found.text)
    const base = { lockfile, dependency, found, declared }
    if (
      exceptions.has(dependency.name) ||
      exceptions.has(`${dependency.name}@${dependency.version}`)
    )
      return { ...base, verdict: 'exception', detail: 'exception' }
    if (declared.kind === 'unknown')
      return { ...base, verdict: 'unknown', detail: `${declared.reason}; ${found.source}` }
    if (declared.kind === 'proprietary')
      return { ...base, verdict: 'denied', detail: 'UNLICENSED: not licensed for use by others' }
    const verdict = judgeLicense(declared.expression, policy)
    return { ...base, verdict: verdict.allowed ? 'allowed' : 'denied', detail: verdict.detail }
  })
  const failUnknown = (options.unknown ?? 'fail') === 'fail'
  const findings: Finding[] = judged
    .filter((entry) => entry.verdict === 'denied' || entry.verdict === 'unknown')
    .map((entry) => {
      const blocking = entry.verdict === 'denied' || failUnknown
      const license =
        entry.declared.kind === 'spdx' ? entry.declared.expression : (entry.found.text ?? 'none')
      return {
        rule: entry.verdict === 'denied' ? 'license-denied' : 'license-unknown',
        title: `${entry.dependency.name}: ${entry.verdict === 'denied' ? `licence ${license} not allowed` : 'licence unknown'}`,
        level: blocking ? 'failure' : 'notice',
        message: `${entry.dependency.name} ${entry.dependency.version}: ${entry.verdict === 'denied' ? `${license} (${entry.detail})` : entry.detail}`,
        blocking,
        package: entry.dependency.name,
        dependencyPaths: [entry.dependency.path],
        path: entry.lockfile.path,
        line: entry.dependency.line,
        fingerprint: fingerprintOf([
          'licenses',
          entry.verdict,
          entry.dependency.ecosystem,
          entry.dependency.name,
          entry.lockfile.path
        ])
      }
    })
  const describe = (after: Finding[]): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const final = after.length ? after : findings
    const open = final.filter((finding) => finding.blocking && !finding.waived)
    const denied = open.filter((finding) => finding.rule === 'license-denied').length
    const unknown = final.filter(
      (finding) => finding.rule === 'license-unknown' && !finding.waived
    ).length
    const counts = [
      denied ? `${plural(denied, 'licence')} not allowed` : '',
      unknown ? `${unknown} unknown` : ''
    ].filter(Boolean)
    return {
      conclusion: open.length ? 'failure' : 'success',
      title: open.length
        ? `${counts.join(', ')} among ${plural(judged.length, 'dependency', 'dependencies')}`
        : `${plural(judged.length, 'dependency', 'dependencies')}: every licence allowed${unknown ? ` (${unknown} unknown, reported)` : ''}`,
      summary: renderSummary(judged, final, policy, collected.omitted)
    }
  }
  return { ...describe([]), annotations: [], findings, describe, decidedByFindings: true }
}

function renderSummary(
  judged: Judged[],
  findings: Finding[],
  policy: { allow?: string[]; deny?: string[] },
  omitted: { count: number; unknown: string[] }
): string {
  const waived = new Set(
    findings
      .filter((finding) => finding.waived)
      .map((finding) => `${finding.path}|${finding.dependencyPaths?.[0]}`)
  )
  const problems = judged.filter(
    (entry) => entry.verdict === 'denied' || entry.verdict === 'unknown'
  )
  const tally = new Map<string, number>()
  for (const entry of judged) {
    const key = entry.declared.kind === 'spdx' ? entry.declared.expression : entry.declared.kind
    tally.set(key, (tally.get(key) ?? 0) + 1)
  }
  const parts = [
    [
      policy.allow && `Allowed: ${policy.allow.map((entry) => `\`${entry}\``).join(', ')}.`,
      policy.deny && `Denied: ${policy.deny.map((entry) => `\`${entry}\``).join(', ')}.`
    ]
      .filter(Boolean)
      .join(' '),
    `Licences found: ${[...tally]
      .sort((a, b) => b[1] - a[1])
      .map(([license, count]) => `${license} (${count})`)
      .join(', ')}.`
  ]
  if (problems.length)
    parts.push(
      [
        '| | Package | Version | Licence | Why | Where |',
        '|---|---|---|---|---|---|',
        ...problems.map((entry) => {
          const mark = waived.has(`${entry.lockfile.path}|${entry.dependency.path}`)
            ? '🟡 waived'
            : entry.verdict === 'denied'
              ? '❌ not allowed'
              : '❔ unknown'
          const license =
            entry.declared.kind === 'spdx'
              ? `${entry.declared.expression}${entry.declared.corrected ? ` (written "${entry.declared.corrected}")` : ''}`
              : (entry.found.text ?? '—')
          return `| ${mark} | \`${entry.dependency.name}\` | ${entry.dependency.version} | ${cell(license)} | ${cell(entry.detail)} | \`${entry.lockfile.path}:${entry.dependency.line}\` |`
        })
      ].join('\n')
    )
  const corrected = judged.filter(
    (entry) =>
      entry.declared.kind === 'spdx' && entry.declared.corrected && entry.verdict === 'allowed'
  )
  if (corrected.length)
    parts.push(
      `Read as SPDX after correction: ${corrected.map((entry) => `\`${entry.dependency.name}\` "${(entry.declared as { corrected: string }).corrected}" → ${(entry.declared as { expression: string }).expression}`).join(', ')}.`
    )
  const exceptions = judged.filter((entry) => entry.verdict === 'exception')
  if (exceptions.length)
    parts.push(
      `Exceptions: ${exceptions.map((entry) => `\`${entry.dependency.name}@${entry.dependency.version}\``).join(', ')}.`
    )
  if (omitted.count)
    parts.push(`${plural(omitted.count, 'development-only package')} left out (omit: dev).`)
  return parts.join('\n\n')
}

/** The `licenses` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'licenses',
  cpuBound: false,
  run: licensesCheck,
  reportsFindings: true
}
