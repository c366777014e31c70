import type { KindDefinition } from '../../engine/run-plan.js'
import { urlSecrets } from '../../util/url.js'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import pLimit from 'p-limit'
import type { OutdatedOptions } from '../../config/generated/options.js'
import type { PlannedGate } from '../../config/model.js'
import { collectDependencies } from '../../dependencies/collect.js'
import type { DirectDependency } from '../../dependencies/direct.js'
import { directDependencies } from '../../dependencies/direct.js'
import type { Lockfile } from '../../dependencies/model.js'
import { fingerprintOf } from '../../engine/findings.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import type { Lag } from '../../registries/lag.js'
import { lagOf } from '../../registries/lag.js'
import { npmReleases, pypiReleases } from '../../registries/releases.js'
import { parseDuration } from '../../util/duration.js'
import { ApiUnavailable } from '../../util/json-api.js'
import { cell, plural } from '../../util/text.js'
import { optionsOf } from '../shared/options.js'
import { failed } from '../shared/outcome.js'
import { resolveInside } from '../shared/paths.js'

export type { OutdatedOptions }

interface Judged {
  lockfile: Lockfile
  direct: DirectDependency
  lag?: Lag
  /** Why the registry could not say (not found, no answer). */
  problem?: string
}

/**
 * "Dependencies are updated": how far each direct dependency is behind its registry's latest
 * release, in major versions and in days. A package the registry cannot tell about fails the
 * gate with the reason, never passes unjudged.
 */
export async function outdatedCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'outdated')
  const dir = resolveInside(workspace.cwd, options.cwd ?? '.')
  const collected = await collectDependencies(workspace.cwd, dir, {
    ...(options.lockfiles && { lockfiles: options.lockfiles }),
    ...(options.ecosystems && { ecosystems: options.ecosystems })
  })
  if ('problem' in collected) return failed(collected.problem.title, collected.problem.summary)
  const unsupported = collected.lockfiles.filter(
    (lockfile) => lockfile.ecosystem !== 'npm' && lockfile.ecosystem !== 'PyPI'
  )
  if (unsupported.length)
    return failed(
      `No registry read for ${unsupported.map((lockfile) => lockfile.path).join(', ')}`,
      `The outdated gate reads the npm and PyPI registries; ${unsupported.map((lockfile) => `\`${lockfile.path}\` (${lockfile.ecosystem})`).join(', ')} cannot be judged, so the gate cannot pass. Set \`ecosystems: [npm, PyPI]\` (or \`lockfiles\`) to judge the others only.`
    )
  const ignored = new Set(options.ignore ?? [])
  const omitDev = options.omit?.includes('dev') ?? false
  const targets: Judged[] = []
  const unread: string[] = []
  for (const lockfile of collected.lockfiles) {
    const direct = await directDependencies(workspace.cwd, lockfile)
    if (!direct) {
      unread.push(lockfile.path)
      continue
    }
    for (const entry of direct)
      if (!ignored.has(entry.dependency.name) && !(omitDev && entry.dev))
        targets.push({ lockfile, direct: entry })
  }
  if (unread.length)
    return failed(
      `Cannot tell the direct dependencies of ${unread.join(', ')}`,
      `Their manifests were not found or not read, so which packages the project chose is not known.`
    )
  const api = {
    timeoutMs: parseDuration(options['request-timeout'] ?? '30s'),
    retries: options.retries ?? 2,
    retryDelayMs: parseDuration(options['retry-delay'] ?? '1s'),
    signal: workspace.signal
  }
  const registry = options['npm-registry'] ?? 'https://registry.npmjs.org'
  const pypi = options['pypi-url'] ?? 'https://pypi.org'
  const node = await nodeOf(workspace, collected.lockfiles)
  const limit = pLimit(8)
  // One request per package, however many lockfiles name it.
  const releases = new Map<string, ReturnType<typeof npmReleases>>()
  await Promise.all(
    targets.map((target) =>
      limit(async () => {
        const { ecosystem, name } = target.direct.dependency
        const key = `${ecosystem}:${name}`
        if (!releases.has(key))
          releases.set(
            key,
            ecosystem === 'npm'
              ? npmReleases(registry, name, { ...api, name: 'the npm registry' })
              : pypiReleases(pypi, name, { ...api, name: 'PyPI' })
          )
        try {
          target.lag = lagOf(
            ecosystem,
            target.direct.dependency.version,
            await releases.get(key)!,
            workspace.now,
            ecosystem === 'npm' ? node.get(target.lockfile.path) : undefined
          )
        } catch (error) {
          if (workspace.signal.aborted) throw error
          target.problem =
            error instanceof ApiUnavailable && error.status === 404
              ? `not found on ${ecosystem === 'npm' ? 'the npm registry' : 'PyPI'} (a private package? ignore it or point the gate at its registry)`
              : (error as Error).message
        }
      })
    )
  )
  const maxMajor = options['max-major-behind']
  const maxDays = options['max-days-behind']
  const reasons = (target: Judged): string[] => {
    if (target.problem) return [target.problem]
    if (!target.lag) return ['not judged']
    if (target.lag.unknown) return [target.lag.unknown]
    return [
      ...(maxMajor !== undefined && target.lag.majorsBehind > maxMajor
        ? [`${plural(target.lag.majorsBehind, 'major version')} behind (at most ${maxMajor})`]
        : []),
      ...(maxDays !== undefined && target.lag.daysBehind > maxDays
        ? [`${target.lag.daysBehind} days behind (at most ${maxDays})`]
        : [])
    ]
  }
  const findings = targets.flatMap((target): Finding[] => {
    const why = reasons(target)
    if (!why.length) return []
    const { dependency } = target.direct
    return [
      {
        rule: target.problem || target.lag?.unknown ? 'outdated-unknown' : 'outdated',
        title: `${dependency.name} ${dependency.version} is behind`,
        level: 'failure',
        message: `${dependency.name} ${dependency.version}: ${why.join('; ')}${target.lag ? `; latest ${target.lag.latest}` : ''}`,
        blocking: true,
        package: dependency.name,
        path: target.lockfile.path,
        line: dependency.line,
        fingerprint: fingerprintOf([
          'outdated',
          dependency.ecosystem,
          dependency.name,
          target.lockfile.path
        ])
      }
    ]
  })
  const describe = (judged: Finding[]): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const open = judged.length ? judged : findings
    const blocking = open.filter((finding) => finding.blocking && !finding.waived)
    const limits = [
      maxMajor !== undefined ? `${plural(maxMajor, 'major version')}` : '',
      maxDays !== undefined ? `${maxDays} days` : ''
    ]
      .filter(Boolean)
      .join(' or ')
    return {
      conclusion: blocking.length ? 'failure' : 'success',
      title: blocking.length
        ? `${plural(blocking.length, 'direct dependency', 'direct dependencies')} more than ${limits} behind (of ${targets.length})`
        : `${plural(targets.length, 'direct dependency', 'direct dependencies')} within ${limits} of the latest`,
      summary: renderSummary(targets, reasons, open, { ignored: [...ignored], limits, omitDev })
    }
  }
  return { ...describe([]), annotations: [], findings, describe, decidedByFindings: true }
}

function renderSummary(
  targets: Judged[],
  reasons: (target: Judged) => string[],
  findings: Finding[],
  context: { ignored: string[]; limits: string; omitDev: boolean }
): string {
  const waived = new Set(
    findings
      .filter((finding) => finding.waived)
      .map((finding) => `${finding.path}|${finding.package}`)
  )
  const rows = [...targets]
    .sort(
      (a, b) =>
        (b.lag?.majorsBehind ?? 99) - (a.lag?.majorsBehind ?? 99) ||
        (b.lag?.daysBehind ?? 0) - (a.lag?.daysBehind ?? 0)
    )
    .map((target) => {
      const { dependency } = target.direct
      const why = reasons(target)
      const mark = !why.length
        ? '✅'
        : waived.has(`${target.lockfile.path}|${dependency.name}`)
          ? '🟡 waived'
          : '❌'
      const lag = target.lag
      const latest = lag
        ? `${cell(lag.latest)}${lag.tagged ? ` (registry's latest ${cell(lag.tagged.version)}: ${cell(lag.tagged.why)})` : ''}`
        : '?'
      return `| ${mark} | \`${dependency.name}\`${target.direct.dev ? ' (dev)' : ''} | ${dependency.version} | ${latest} | ${lag && !lag.unknown ? lag.majorsBehind : '?'} | ${lag && !lag.unknown ? `${lag.daysBehind}${lag.since ? ` (since ${lag.since.version}, ${lag.since.published.toISOString().slice(0, 10)})` : ''}` : '?'} | ${cell(why.join('; '))} |`
    })
  return [
    `Each direct dependency may be at most ${context.limits} behind the registry's latest release${context.omitDev ? ' (production dependencies only)' : ''}.`,
    [
      '| | Package | Installed | Latest | Majors behind | Days behind | Why |',
      '|---|---|---|---|---|---|---|',
      ...rows
    ].join('\n'),
    ...(context.ignored.length
      ? [`Not judged (ignore): ${context.ignored.map((name) => `\`${name}\``).join(', ')}.`]
      : [])
  ].join('\n\n')
}

/**
 * The Node.js each npm project runs on, as npm outdated judges it: the project's engines.node
 * when its package.json declares one, else the node on PATH.
 */
async function nodeOf(workspace: Workspace, lockfiles: Lockfile[]): Promise<Map<string, string>> {
  const byLockfile = new Map<string, string>()
  let onPath: string | undefined
  for (const lockfile of lockfiles.filter((entry) => entry.ecosystem === 'npm')) {
    // The root package.json only: its workspaces run on the same node.
    const manifest = await readFile(
      join(workspace.cwd, dirname(lockfile.path), 'package.json'),
      'utf8'
    )
      .then((text) => JSON.parse(text) as { engines?: { node?: unknown } })
      .catch(() => undefined)
    const declared = manifest?.engines?.node
    if (typeof declared === 'string') {
      byLockfile.set(lockfile.path, declared)
      continue
    }
    onPath ??= (
      await workspace.exec(['node', '--version'], {
        cwd: workspace.cwd,
        env: workspace.env,
        signal: workspace.signal
      })
    ).stdout
      .trim()
      .replace(/^v/, '')
    if (onPath) byLockfile.set(lockfile.path, onPath)
  }
  return byLockfile
}

function outdatedSecrets(gate: PlannedGate): string[] {
  const options = optionsOf(gate, 'outdated')
  return [options['npm-registry'], options['pypi-url']].flatMap((url) =>
    url ? urlSecrets(url) : []
  )
}

/** The `outdated` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'outdated',
  cpuBound: false,
  run: outdatedCheck,
  reportsFindings: true,
  secretsOf: outdatedSecrets
}
