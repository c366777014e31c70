import type { KindDefinition } from '../../engine/run-plan.js'
import { urlSecrets } from '../../util/url.js'
import { resolve } from 'node:path'
import type { OsvAuditOptions } from '../../config/generated/options.js'
import type { PlannedGate } from '../../config/model.js'
import { collectDependencies } from '../../dependencies/collect.js'
import type { Dependency, Lockfile, Unauditable } from '../../dependencies/model.js'
import { fingerprintOf } from '../../engine/findings.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import { OsvUnavailable, queryOsvApi } from '../../osv/api.js'
import type { Vulnerability } from '../../osv/match.js'
import { vulnerabilitiesOf } from '../../osv/match.js'
import { loadOfflineDatabase, OfflineUnreadable, packageKey } from '../../osv/offline.js'
import type { OsvRecord } from '../../osv/record.js'
import type { Severity } from '../../osv/severity.js'
import { SEVERITIES } from '../../osv/severity.js'
import { parseDuration } from '../../util/duration.js'
import { cell, plural } from '../../util/text.js'
import { optionsOf } from '../shared/options.js'
import { failed } from '../shared/outcome.js'
import { resolveInside } from '../shared/paths.js'

export type { OsvAuditOptions }

/** One vulnerability of one dependency in one lockfile: a finding. */
interface Hit {
  lockfile: Lockfile
  dependency: Dependency
  vulnerability: Vulnerability
}

/** An unauditable entry with its lockfile. */
interface Unaudited {
  lockfile: Lockfile
  entry: Unauditable
}

/** The findings split by what the engine's waivers left of them. */
interface Judged {
  open: Hit[]
  waived: Hit[]
  unauditable: Unaudited[]
  unauditableWaived: Unaudited[]
}

/** Where the records came from, for the summary. */
interface Provenance {
  source: string
  detail: string
}

/**
 * Every lockfile's packages against OSV, without running a package manager: npm, PyPI, Go and
 * crates.io in one gate, from the API or an offline export. Fails closed: no lockfile, a
 * lockfile that does not parse, an API that does not answer, a database without the
 * ecosystem's records.
 */
export async function osvAuditCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'osv-audit')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const failOn: Severity = options['fail-on'] ?? 'low'
  const collected = await collectDependencies(workspace.cwd, dir, options)
  if ('problem' in collected) return failed(collected.problem.title, collected.problem.summary)
  const { lockfiles, audited, omitted } = collected

  const queries = uniqueQueries(audited.map((entry) => entry.dependency))
  let recordsFor: (dependency: Dependency) => { records: OsvRecord[]; reported: Set<string> }
  let provenance: Provenance
  try {
    if (options.database) {
      // Downloaded by the workflow, usually outside the checkout (where a pull request cannot edit it).
      const sources = [options.database].flat().map((path) => resolve(workspace.cwd, path))
      const database = await loadOfflineDatabase(
        sources,
        new Set(queries.map((query) => packageKey(query.ecosystem, query.name)))
      )
      const needed = [...new Set(lockfiles.map((lockfile) => lockfile.ecosystem))]
      const missing = needed.filter((ecosystem) => !database.ecosystems.get(ecosystem))
      if (!database.records || missing.length)
        return failed(
          database.records
            ? `The offline database has no ${missing.join(', ')} records`
            : 'The offline database holds no OSV records',
          `${[options.database]
            .flat()
            .map((path) => `\`${path}\``)
            .join(
              ', '
            )} ${database.records ? `has ${plural(database.records, 'record')}, none for ${missing.join(', ')}` : 'holds no records'}: the ${missing.join(', ') || 'dependencies'} cannot be audited against it, so the gate cannot pass. Download the ecosystem's export (https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip) next to the others.`
        )
      recordsFor = (dependency) => ({
        records: database.byPackage.get(packageKey(dependency.ecosystem, dependency.name)) ?? [],
        reported: new Set()
      })
      provenance = {
        source: 'offline database',
        detail: `${plural(database.records, 'OSV record')} in ${[options.database].flat().join(', ')}`
      }
    } else {
      const baseUrl = options['api-url'] ?? 'https://api.osv.dev'
      const answer = await queryOsvApi(queries, {
        baseUrl,
        timeoutMs: parseDuration(options['request-timeout'] ?? '30s'),
        retries: options.retries ?? 2,
        retryDelayMs: parseDuration(options['retry-delay'] ?? '1s'),
        batchSize: options['batch-size'] ?? 1000,
        signal: workspace.signal
      })
      const byQuery = new Map(queries.map((query, index) => [queryKey(query), answer.ids[index]!]))
      recordsFor = (dependency) => {
        const ids = byQuery.get(queryKey(dependency)) ?? []
        return {
          records: ids.flatMap((id) => answer.records.get(id) ?? []),
          reported: new Set(ids)
        }
      }
      provenance = {
        source: 'OSV API',
        detail: `${new URL(baseUrl).host}: ${plural(queries.length, 'package version')} asked in ${plural(answer.requests, 'request')}`
      }
    }
  } catch (error) {
    if (error instanceof OsvUnavailable || error instanceof OfflineUnreadable)
      return failed(
        error.message,
        `${error.message}\n\nNo vulnerability data was established for ${plural(queries.length, 'package version')}, so the gate cannot pass.`
      )
    throw error
  }

  const hits: Hit[] = []
  const unjudged: string[] = []
  for (const { lockfile, dependency } of audited) {
    const { records, reported } = recordsFor(dependency)
    const found = vulnerabilitiesOf(dependency, records, reported)
    unjudged.push(...found.unjudged)
    for (const vulnerability of found.vulnerabilities)
      hits.push({ lockfile, dependency, vulnerability })
  }
  const unrated = options.unrated ?? 'fail'
  const counts = (hit: Hit) =>
    hit.vulnerability.severity.level
      ? SEVERITIES.indexOf(hit.vulnerability.severity.level) >= SEVERITIES.indexOf(failOn)
      : unrated === 'fail'
  const unauditable = lockfiles.flatMap((lockfile) =>
    lockfile.unauditable.map((entry) => ({ lockfile, entry }))
  )
  const blockUnauditable = (options.unauditable ?? 'fail') === 'fail'
  const findings: Finding[] = [
    ...hits.map((hit) => vulnerabilityFinding(hit, counts(hit))),
    ...unauditable.map(({ lockfile, entry }) =>
      unauditableFinding(lockfile, entry, blockUnauditable)
    )
  ]
  const context: Context = {
    lockfiles,
    audited: audited.length,
    omitted,
    provenance,
    failOn,
    unjudged
  }
  const describe = (judged: Finding[]): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const waived = (index: number) => Boolean(judged[index]?.waived)
    return verdictOf(
      {
        open: hits.filter((_hit, index) => !waived(index)),
        waived: hits.filter((_hit, index) => waived(index)),
        unauditable: unauditable.filter((_entry, index) => !waived(hits.length + index)),
        unauditableWaived: unauditable.filter((_entry, index) => waived(hits.length + index))
      },
      counts,
      blockUnauditable,
      context
    )
  }
  return { ...describe([]), annotations: [], findings, describe, decidedByFindings: true }
}

interface Context {
  lockfiles: Lockfile[]
  audited: number
  omitted: { count: number; unknown: string[] }
  provenance: Provenance
  failOn: Severity
  unjudged: string[]
}

const queryKey = (dependency: Pick<Dependency, 'ecosystem' | 'name' | 'version'>) =>
  `${packageKey(dependency.ecosystem, dependency.name)}@${dependency.version}`

function uniqueQueries(
  dependencies: Dependency[]
): Array<Pick<Dependency, 'ecosystem' | 'name' | 'version'>> {
  const byKey = new Map<string, Pick<Dependency, 'ecosystem' | 'name' | 'version'>>()
  for (const { ecosystem, name, version } of dependencies)
    byKey.set(queryKey({ ecosystem, name, version }), { ecosystem, name, version })
  return [...byKey.values()]
}

/**
 * A vulnerability as a finding at its package's lockfile entry. Its fingerprint is the
 * vulnerability, package and place, not the version: an upgrade that leaves it vulnerable keeps it.
 */
function vulnerabilityFinding(hit: Hit, blocking: boolean): Finding {
  const { lockfile, dependency, vulnerability } = hit
  const level = vulnerability.severity.level
  return {
    rule: vulnerability.id,
    title: `${level ?? 'unrated'}: ${vulnerability.id} in ${dependency.name}`,
    level: !blocking
      ? 'notice'
      : level === 'critical' || level === 'high' || !level
        ? 'failure'
        : 'warning',
    message: `${dependency.name} ${dependency.version} (${dependency.ecosystem}): ${vulnerability.summary}. ${vulnerability.fixed ? `Fixed in ${vulnerability.fixed}.` : 'No fixed version published.'} ${vulnerability.url}`,
    blocking,
    package: dependency.name,
    ...(vulnerability.aliases.length && { aliases: vulnerability.aliases }),
    dependencyPaths: [dependency.path],
    url: vulnerability.url,
    path: lockfile.path,
    line: dependency.line,
    fingerprint: fingerprintOf([
      'osv-audit',
      vulnerability.id,
      dependency.ecosystem,
      dependency.name,
      lockfile.path,
      dependency.path.replace(/[@=]=?[^@=/]*$/, '')
    ])
  }
}

function unauditableFinding(lockfile: Lockfile, entry: Unauditable, blocking: boolean): Finding {
  return {
    rule: 'unauditable',
    title: `Cannot audit ${entry.text}`,
    level: blocking ? 'failure' : 'notice',
    message: `${entry.text}: ${entry.reason}. Pin it to a released version to audit it.`,
    blocking,
    path: lockfile.path,
    line: entry.line,
    fingerprint: fingerprintOf(['osv-audit', 'unauditable', lockfile.path, entry.text])
  }
}

function verdictOf(
  match: Judged,
  counts: (hit: Hit) => boolean,
  blockUnauditable: boolean,
  context: Context
): Pick<Outcome, 'conclusion' | 'title' | 'summary'> {
  const blocking = match.open.filter(counts)
  const below = match.open.length - blocking.length
  const scope = `in ${plural(context.audited, 'dependency', 'dependencies')} of ${plural(context.lockfiles.length, 'lockfile')}`
  const unauditable = match.unauditable.length
    ? `${plural(match.unauditable.length, 'entry', 'entries')} cannot be audited`
    : ''
  const failing = blocking.length > 0 || (blockUnauditable && match.unauditable.length > 0)
  const title = blocking.length
    ? `${plural(blocking.length, 'vulnerability', 'vulnerabilities')} at or above ${context.failOn}: ${countBySeverity(blocking)}${below ? `; ${below} below` : ''}${unauditable ? `; ${unauditable}` : ''}`
    : unauditable && blockUnauditable
      ? `${unauditable[0]!.toUpperCase()}${unauditable.slice(1)}: pin them (no vulnerability at or above ${context.failOn} ${scope})`
      : match.open.length || match.waived.length
        ? `No vulnerability at or above ${context.failOn} ${scope} (${[countBySeverity(match.open), match.waived.length ? `${match.waived.length} waived` : '', unauditable].filter(Boolean).join('; ')})`
        : `No known vulnerabilities ${scope}${unauditable ? ` (${unauditable})` : ''}`
  return {
    conclusion: failing ? 'failure' : 'success',
    title,
    summary: renderSummary(match, context)
  }
}

function countBySeverity(hits: Hit[]): string {
  const levels = [...SEVERITIES]
    .reverse()
    .map(
      (level) =>
        [level, hits.filter((hit) => hit.vulnerability.severity.level === level).length] as const
    )
  const unrated = hits.filter((hit) => !hit.vulnerability.severity.level).length
  return [
    ...levels.filter(([, count]) => count > 0).map(([level, count]) => `${count} ${level}`),
    ...(unrated ? [`${unrated} unrated`] : [])
  ].join(', ')
}

function renderSummary(match: Judged, context: Context): string {
  const parts = [
    `Fails on **${context.failOn}** and above. Vulnerability data: ${context.provenance.source} (${context.provenance.detail}).`,
    [
      '| Lockfile | Format | Ecosystem | Packages |',
      '|---|---|---|---|',
      ...context.lockfiles.map(
        (lockfile) =>
          `| \`${lockfile.path}\` | ${lockfile.format} | ${lockfile.ecosystem} | ${lockfile.dependencies.length} |`
      )
    ].join('\n')
  ]
  if (context.omitted.count || context.omitted.unknown.length)
    parts.push(
      [
        context.omitted.count
          ? `${plural(context.omitted.count, 'development-only package')} left out (omit: dev).`
          : '',
        context.omitted.unknown.length
          ? `${context.omitted.unknown.map((path) => `\`${path}\``).join(', ')} ${context.omitted.unknown.length === 1 ? 'does' : 'do'} not say which packages are for development only: all of ${context.omitted.unknown.length === 1 ? 'its' : 'their'} packages were audited.`
          : ''
      ]
        .filter(Boolean)
        .join(' ')
    )
  const row = (hit: Hit, note = '') => {
    const { dependency, vulnerability, lockfile } = hit
    const severity = `${vulnerability.severity.level ?? 'unrated'}${vulnerability.severity.score !== undefined ? ` (CVSS ${vulnerability.severity.score.toFixed(1)})` : ''}`
    const ids = [
      vulnerability.id,
      ...vulnerability.aliases.filter((alias) => /^(CVE|PYSEC|GO|RUSTSEC)-/.test(alias))
    ]
    return `| ${severity}${note} | \`${dependency.name}\` | ${dependency.version} | [${vulnerability.id}](${vulnerability.url}) ${cell(vulnerability.summary)}${ids.length > 1 ? ` (${ids.slice(1).join(', ')})` : ''} | \`${lockfile.path}:${dependency.line}\`${dependency.alias ? ` as \`${dependency.alias}\`` : ''} | ${vulnerability.fixed ? cell(vulnerability.fixed) : 'no fix'} |`
  }
  if (match.open.length || match.waived.length)
    parts.push(
      [
        '| Severity | Package | Installed | Vulnerability | Where | Fixed in |',
        '|---|---|---|---|---|---|',
        ...[...match.open].sort(bySeverity).map((hit) => row(hit)),
        ...match.waived.map((hit) => row(hit, ' (waived)'))
      ].join('\n')
    )
  const entries = [...match.unauditable, ...match.unauditableWaived]
  if (entries.length)
    parts.push(
      [
        `**Cannot be audited** (${plural(entries.length, 'entry', 'entries')}): their installed version is not known.`,
        '',
        ...entries.map(
          ({ lockfile, entry }) =>
            `- \`${lockfile.path}:${entry.line}\` ${cell(entry.text)}: ${entry.reason}${match.unauditableWaived.some((waived) => waived.entry === entry) ? ' (waived)' : ''}`
        )
      ].join('\n')
    )
  if (context.unjudged.length)
    parts.push(
      `Ranges that could not be judged here:\n\n${[...new Set(context.unjudged)].map((line) => `- ${line}`).join('\n')}`
    )
  return parts.join('\n\n')
}

const bySeverity = (a: Hit, b: Hit) =>
  (b.vulnerability.severity.level ? SEVERITIES.indexOf(b.vulnerability.severity.level) : 4) -
  (a.vulnerability.severity.level ? SEVERITIES.indexOf(a.vulnerability.severity.level) : 4)

/** The API URL's credentials (a mirror behind basic auth): never in any output. */
function osvSecrets(gate: PlannedGate): string[] {
  const options = optionsOf(gate, 'osv-audit')
  return options['api-url'] ? urlSecrets(options['api-url']) : []
}

/** The `osv-audit` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'osv-audit',
  // It reads lockfiles and waits on the API: no core kept busy.
  cpuBound: false,
  run: osvAuditCheck,
  reportsFindings: true,
  secretsOf: osvSecrets
}
