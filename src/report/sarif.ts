import type { Log, ReportingDescriptor, Result, Run } from 'sarif'
import type { GateResult, Report } from '../model/report.js'
import type { Finding } from '../model/types.js'

/**
 * GitHub code scanning's limits on one SARIF upload (docs: "SARIF support for code scanning"):
 * more runs or results are rejected, a larger file too (10 MB, gzipped).
 */
export const SARIF_LIMITS = { runs: 20, resultsPerRun: 25_000, bytes: 10 * 1024 * 1024 }

/** What each kind's rules mean, for a reader of an alert: its help, and where to read more. */
const KIND_HELP: Record<string, { text: string; uri?: (rule: string) => string | undefined }> = {
  typescript: {
    text: 'A TypeScript compiler error. Fix the type error at this place; `tsc --noEmit` shows it in full.',
    uri: (rule) => `https://typescript.tv/errors/#${rule.toLowerCase()}`
  },
  eslint: {
    text: 'An ESLint problem. Fix it, or change the rule in the ESLint configuration if it is wrong for this code.',
    uri: (rule) =>
      /^[a-z-]+$/.test(rule) ? `https://eslint.org/docs/latest/rules/${rule}` : undefined
  },
  'npm-audit': {
    text: 'A dependency with a known vulnerability. Upgrade it to a fixed version (the advisory names it), or waive it with a reason and an expiry.',
    uri: (rule) =>
      /^GHSA-/i.test(rule) ? `https://github.com/advisories/${rule.toUpperCase()}` : undefined
  },
  secrets: {
    text: 'A hardcoded credential. Revoke it first (history keeps it), then remove it and read it from a secret store.'
  },
  files: {
    text: 'A file rule of the release checklist is broken at this place (a file that must not exist, text that must not appear).'
  }
}

const SECURITY_KINDS = new Set(['npm-audit', 'secrets'])

/**
 * One SARIF 2.1.0 log of a finished Report, for `github/codeql-action/upload-sarif`: a run per
 * check kind (each its own tool and category), a result per located finding, its fingerprint in
 * `partialFingerprints`, and `baselineState` where the gate has a baseline. Findings without a
 * place in the repository are left out (code scanning needs a location) and counted.
 */
export function toSarifLog(report: Report, options: { pathPrefix?: string } = {}): Log {
  const prefix = options.pathPrefix ? `${options.pathPrefix.replace(/\/+$/, '')}/` : ''
  const byKind = new Map<string, GateResult[]>()
  for (const gate of report.gates)
    if (gate.findings?.some(inSarif))
      byKind.set(gate.check, [...(byKind.get(gate.check) ?? []), gate])
  const runs = [...byKind]
    .slice(0, SARIF_LIMITS.runs)
    .map(([kind, gates]) => kindRun(kind, gates, report, prefix))
  let log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs
  }
  // Over GitHub's size limit, the least severe results go first, half at a time.
  while (Buffer.byteLength(JSON.stringify(log)) > SARIF_LIMITS.bytes) {
    log = {
      ...log,
      runs: log.runs.map((run) => truncated(run, Math.floor((run.results?.length ?? 0) / 2)))
    }
  }
  return log
}

/**
 * A located finding no waiver covers. Code scanning ignores SARIF `suppressions` and would raise
 * a waived finding as an alert: it is left out (the JSON report keeps it, with its waiver).
 */
const inSarif = (finding: Finding) => Boolean(finding.path && finding.line && !finding.waived)

function kindRun(kind: string, gates: GateResult[], report: Report, prefix: string): Run {
  const help = KIND_HELP[kind] ?? { text: `A finding of the ${kind} gate.` }
  const located = gates.flatMap((gate) =>
    (gate.findings ?? []).filter(inSarif).map((finding) => ({ gate, finding }))
  )
  const unlocated = gates.reduce(
    (sum, gate) =>
      sum + (gate.findings ?? []).filter((f) => !f.waived && (!f.path || !f.line)).length,
    0
  )
  const ruleIds = [...new Set(located.map(({ finding }) => finding.rule))]
  const rules: ReportingDescriptor[] = ruleIds.map((id) => {
    const sample = located.find(({ finding }) => finding.rule === id)!.finding
    const uri = help.uri?.(id) ?? sample.url
    return {
      id,
      name: id,
      shortDescription: { text: sample.title ?? id },
      help: { text: help.text, markdown: uri ? `${help.text} [More](${uri})` : help.text },
      ...(uri && { helpUri: uri }),
      defaultConfiguration: { level: sarifLevel(sample.level) },
      properties: {
        tags: SECURITY_KINDS.has(kind) ? ['security', kind] : [kind],
        ...(SECURITY_KINDS.has(kind) && {
          'security-severity': sample.level === 'failure' ? '8.0' : '5.0'
        })
      }
    }
  })
  const results: Result[] = located.map(({ gate, finding }) =>
    result(finding, gate, ruleIds, prefix)
  )
  const run: Run = {
    tool: {
      driver: {
        name: `release-gates ${kind}`,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        informationUri: `https://github.com/release-gates/release-gates#${kind}`,
        rules
      }
    },
    // One category per kind: code scanning keeps each kind's alerts apart.
    automationDetails: { id: `release-gates/${kind}/` },
    results,
    properties: {
      gates: gates.map((gate) => gate.id),
      ...(unlocated && { findingsWithoutLocation: unlocated })
    }
  }
  return results.length > SARIF_LIMITS.resultsPerRun
    ? truncated(run, SARIF_LIMITS.resultsPerRun)
    : run
}

function result(finding: Finding, gate: GateResult, ruleIds: string[], prefix: string): Result {
  return {
    ruleId: finding.rule,
    ruleIndex: ruleIds.indexOf(finding.rule),
    level: sarifLevel(finding.level),
    message: { text: finding.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `${prefix}${finding.path!}`, uriBaseId: '%SRCROOT%' },
          region: {
            startLine: finding.line!,
            ...(finding.column && { startColumn: finding.column }),
            ...(finding.endLine && { endLine: finding.endLine }),
            ...(finding.endColumn &&
              finding.column &&
              finding.endColumn > finding.column && { endColumn: finding.endColumn })
          }
        }
      }
    ],
    partialFingerprints: { 'releaseGatesFingerprint/v1': finding.fingerprint! },
    ...(gate.baseline && { baselineState: finding.baselined ? 'unchanged' : 'new' }),
    properties: { gate: gate.id }
  }
}

/** Keeps the `keep` most severe results of a run, and says how many were left out. */
function truncated(run: Run, keep: number): Run {
  const order = { error: 0, warning: 1, note: 2, none: 3 }
  const rank = (result: Result) => order[result.level ?? 'warning']
  const results = [...(run.results ?? [])].sort((a, b) => rank(a) - rank(b)).slice(0, keep)
  return {
    ...run,
    results,
    properties: {
      ...run.properties,
      resultsLeftOut:
        (run.results?.length ?? 0) - results.length + Number(run.properties?.resultsLeftOut ?? 0)
    }
  }
}

function sarifLevel(level: Finding['level']): 'error' | 'warning' | 'note' {
  return level === 'failure' ? 'error' : level === 'warning' ? 'warning' : 'note'
}
