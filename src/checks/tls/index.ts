import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { TlsOptions } from '../../config/generated/options.js'

export type { TlsOptions }
import { readFile } from 'node:fs/promises'
import type { SecureVersion } from 'node:tls'
import type { PlannedGate } from '../../config/model.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { parseDuration } from '../../util/duration.js'
import { cell, plural } from '../../util/text.js'
import { describeFailure, renderAssertions } from '../shared/assertions.js'
import type { Assertion } from '../shared/assertions.js'
import { resolveInside } from '../shared/paths.js'
import { acceptsProtocolBelow, inspectTls } from './inspect.js'
import { UNTRUSTED_REASONS } from '../../util/tls-reasons.js'
import type { TlsInspection, TlsTarget } from './inspect.js'

const DAY_MS = 86_400_000

/** The served certificate is trusted, matches the host, stays valid long enough, over a modern protocol. */
export async function tlsCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'tls')
  const target: TlsTarget = {
    host: options.host,
    port: options.port ?? 443,
    servername: options.servername ?? options.host,
    timeoutMs: parseDuration(options.timeout ?? '10s'),
    signal: workspace.signal,
    ...(options['ca-file'] && {
      ca: await readFile(resolveInside(workspace.cwd, options['ca-file']), 'utf8')
    })
  }
  const where = `${target.host}:${target.port}`
  let inspection: TlsInspection
  try {
    inspection = await inspectTls(target)
  } catch (error) {
    return {
      conclusion: 'failure',
      title: `No TLS handshake with ${where}: ${(error as Error).message}`,
      summary: `The gate could not complete a TLS handshake with \`${where}\`, so nothing about its certificate is proven.\n\n${(error as Error).message}`,
      annotations: []
    }
  }
  const minProtocol = options['min-protocol'] ?? 'TLSv1.2'
  const olderAccepted = await acceptsProtocolBelow(target, minProtocol as SecureVersion)
  const assertions = evaluateTls(inspection, {
    servername: target.servername,
    minDays: options['min-days'] ?? 30,
    minProtocol,
    olderAccepted,
    now: workspace.now
  })
  const failed = assertions.filter((assertion) => !assertion.ok)
  const leaf = inspection.chain[0]
  const daysLeft = leaf
    ? Math.floor((leaf.validTo.getTime() - workspace.now.getTime()) / DAY_MS)
    : 0
  return {
    conclusion: failed.length ? 'failure' : 'success',
    title: failed.length
      ? `${where}: ${failed.length} of ${plural(assertions.length, 'TLS check')} failed: ${describeFailure(failed[0]!)}`
      : `${where}: trusted certificate for ${target.servername}, ${plural(daysLeft, 'day')} left, ${inspection.protocol}`,
    summary: [renderAssertions(assertions), '', renderChain(inspection, workspace.now)].join('\n'),
    annotations: []
  }
}

export interface TlsExpectations {
  servername: string
  minDays: number
  minProtocol: string
  /** The older protocol the server also accepted, if it did. */
  olderAccepted: string | undefined
  now: Date
}

/** Judges one handshake: trust, host name, days left, protocol. Pure, for tests on any date. */
export function evaluateTls(inspection: TlsInspection, expected: TlsExpectations): Assertion[] {
  const leaf = inspection.chain[0]
  const assertions: Assertion[] = []
  const reason = inspection.untrustedBecause
  assertions.push({
    what: 'chain trusted',
    expected: 'a chain to a trusted root',
    got: reason ? `${UNTRUSTED_REASONS[reason] ?? 'not trusted'} (${reason})` : 'trusted',
    ok: !reason
  })
  assertions.push({
    what: 'host name',
    expected: `certificate names ${expected.servername}`,
    got: inspection.hostnameMismatch
      ? `it names ${leaf?.subjectAltNames.join(', ') || leaf?.subject || 'nothing'}`
      : 'matches',
    ok: !inspection.hostnameMismatch
  })
  if (leaf) {
    const daysLeft = Math.floor((leaf.validTo.getTime() - expected.now.getTime()) / DAY_MS)
    assertions.push({
      what: 'validity',
      expected: `valid ≥ ${plural(expected.minDays, 'more day')}`,
      got:
        daysLeft < 0
          ? `expired ${leaf.validTo.toISOString().slice(0, 10)} (${plural(-daysLeft, 'day')} ago)`
          : `until ${leaf.validTo.toISOString().slice(0, 10)}: ${plural(daysLeft, 'day')} left`,
      ok: daysLeft >= expected.minDays
    })
  }
  const rank = (protocol: string) => ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'].indexOf(protocol)
  assertions.push({
    what: 'protocol',
    expected: `${expected.minProtocol} or newer only`,
    got: expected.olderAccepted
      ? `${inspection.protocol}, but ${expected.olderAccepted} is accepted too`
      : inspection.protocol,
    ok: rank(inspection.protocol) >= rank(expected.minProtocol) && !expected.olderAccepted
  })
  return assertions
}

function renderChain(inspection: TlsInspection, now: Date): string {
  if (!inspection.chain.length) return 'The server presented no certificate.'
  return [
    '| | subject | issuer | names (SAN) | expires | days left |',
    '|---|---|---|---|---|---|',
    ...inspection.chain.map((cert, index) => {
      const days = Math.floor((cert.validTo.getTime() - now.getTime()) / DAY_MS)
      return `| ${index === 0 ? 'leaf' : `#${index}`} | ${cell(cert.subject)} | ${cell(cert.issuer)} | ${cell(cert.subjectAltNames.join(', ') || '—')} | ${cert.validTo.toISOString().slice(0, 10)} | ${days} |`
    })
  ].join('\n')
}

/** The `tls` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'tls', cpuBound: false, run: tlsCheck }
