import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { plural } from '../util/text.js'
import type { BaselineCounts } from '../model/report.js'
import type { Annotation, Finding, Outcome } from '../model/types.js'

/** Files longer than this are not read for line text: the fingerprint goes without it. */
const MAX_FINGERPRINT_FILE = 4 * 1024 * 1024

/** The annotations of the findings that have a place in a file. */
export function annotationsOf(findings: Finding[]): Annotation[] {
  return (
    findings
      // A notice that does not count (an advisory below `fail-on`) is in the report, not on the diff.
      .filter(
        (finding) =>
          finding.path &&
          finding.line &&
          !finding.baselined &&
          !finding.waived &&
          (finding.blocking || finding.level !== 'notice')
      )
      .map((finding) => ({
        path: finding.path!,
        line: finding.line!,
        ...(finding.endLine !== undefined && { endLine: finding.endLine }),
        ...(finding.column !== undefined && { column: finding.column }),
        level: finding.level,
        ...(finding.title && { title: finding.title }),
        message: finding.message
      }))
  )
}

/**
 * Gives each finding without one a fingerprint that survives line shifts, like SARIF's
 * partialFingerprints: the kind, rule, path, message and the trimmed text of its line (so the
 * same error moved down ten lines keeps its fingerprint, and one on another line does not), and
 * which occurrence of that same text it is (two identical errors in one file stay two).
 */
export async function fingerprintFindings(
  kind: string,
  findings: Finding[],
  root: string
): Promise<Finding[]> {
  const files = new Map<string, Promise<string[] | undefined>>()
  const linesOf = (path: string) => {
    if (!files.has(path)) files.set(path, readLines(join(root, path)))
    return files.get(path)!
  }
  const seen = new Map<string, number>()
  const result: Finding[] = []
  for (const finding of findings) {
    if (finding.fingerprint) {
      result.push(finding)
      continue
    }
    const text =
      finding.path && finding.line
        ? ((await linesOf(finding.path))?.[finding.line - 1]?.trim() ?? '')
        : ''
    const key = [
      kind,
      finding.rule,
      finding.path ?? '',
      finding.package ?? '',
      finding.url ?? '',
      // Line and column numbers in a message would tie it to its place.
      finding.message.replace(/\d+/g, '#'),
      text
    ].join('\0')
    const occurrence = (seen.get(key) ?? 0) + 1
    seen.set(key, occurrence)
    result.push({ ...finding, fingerprint: fingerprintOf([key, String(occurrence)]) })
  }
  return result
}

/** A fingerprint of what identifies a finding, for checks that know it better than its line. */
export function fingerprintOf(parts: string[]): string {
  return createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32)
}

async function readLines(file: string): Promise<string[] | undefined> {
  try {
    const text = await readFile(file, 'utf8')
    return text.length > MAX_FINGERPRINT_FILE ? undefined : text.split(/\r?\n/)
  } catch {
    return undefined
  }
}

/**
 * Judges an outcome against the fingerprints accepted for its gate: only blocking findings not in
 * the baseline count. A gate whose conclusion did not come from its findings alone (the tool could
 * not run) is left as it is: a baseline accepts problems, never a check that did not happen.
 */
export function judgeAgainstBaseline(
  outcome: Outcome,
  accepted: ReadonlySet<string>,
  source: string
): { outcome: Outcome; counts?: BaselineCounts } {
  if (!outcome.decidedByFindings || !outcome.findings) return { outcome }
  const findings = outcome.findings
  const present = new Set(findings.map((finding) => finding.fingerprint))
  const blocking = findings.filter((finding) => finding.blocking)
  const fresh = blocking.filter((finding) => !accepted.has(finding.fingerprint!))
  const counts: BaselineCounts = {
    source,
    new: fresh.length,
    known: blocking.length - fresh.length,
    fixed: [...accepted].filter((fingerprint) => !present.has(fingerprint)).length
  }
  const table = [
    `**Against the baseline** \`${source}\`:`,
    '',
    '| new | still there | fixed |',
    '| ---: | ---: | ---: |',
    `| ${counts.new} | ${counts.known} | ${counts.fixed} |`
  ].join('\n')
  const newList = fresh.length
    ? `\n\nNew since the baseline:\n\n${fresh
        .slice(0, 20)
        .map(
          (finding) =>
            `- ${finding.path ? `\`${finding.path}${finding.line ? `:${finding.line}` : ''}\` ` : ''}${finding.rule}: ${finding.message}`
        )
        .join('\n')}${fresh.length > 20 ? `\n- … and ${fresh.length - 20} more` : ''}`
    : ''
  const tail = `${counts.known ? `${counts.known} still there` : ''}${counts.known && counts.fixed ? ', ' : ''}${counts.fixed ? `${counts.fixed} fixed` : ''}`
  const met = fresh.length === 0
  const judged: Outcome = {
    ...outcome,
    conclusion: met
      ? outcome.conclusion === 'failure'
        ? 'success'
        : outcome.conclusion
      : 'failure',
    title: met
      ? `No new findings since the baseline${tail ? ` (${tail})` : ''}`
      : `${plural(fresh.length, 'new finding')} since the baseline${tail ? ` (${tail})` : ''}`,
    summary: `${table}${newList}\n\nWithout the baseline: ${outcome.title}\n\n${outcome.summary}`,
    // Only what is new is annotated: known problems are not news on a pull request.
    findings: findings.map((finding) =>
      finding.blocking && accepted.has(finding.fingerprint!)
        ? { ...finding, baselined: true }
        : finding
    )
  }
  return { outcome: judged, counts }
}

/**
 * The fingerprints a baseline accepts for one gate. The file is either a baseline
 * (`{ "version": 1, "gates": { "<id>": { "fingerprints": [...] } } }`, written by
 * `release-gates baseline`) or a JSON report of an earlier run (`{ "gates": [{ "id", "findings" }] }`).
 */
export function acceptedFingerprints(text: string, gateId: string, source: string): Set<string> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new Error(`the baseline ${source} is not JSON: ${(error as Error).message}`)
  }
  const gates = (data as { gates?: unknown } | null)?.gates
  if (Array.isArray(gates)) {
    const gate = gates.find((candidate) => (candidate as { id?: unknown })?.id === gateId) as
      { findings?: Array<{ fingerprint?: unknown }> } | undefined
    return new Set(
      (gate?.findings ?? []).flatMap((finding) =>
        typeof finding?.fingerprint === 'string' ? [finding.fingerprint] : []
      )
    )
  }
  if (gates && typeof gates === 'object') {
    const entry = (gates as Record<string, { fingerprints?: unknown }>)[gateId]
    if (entry === undefined) return new Set()
    if (
      !Array.isArray(entry.fingerprints) ||
      entry.fingerprints.some((value) => typeof value !== 'string')
    )
      throw new Error(`the baseline ${source} has no "fingerprints" list of strings for ${gateId}`)
    return new Set(entry.fingerprints as string[])
  }
  throw new Error(
    `the baseline ${source} is neither a baseline file ("gates": { id: { fingerprints } }) nor a JSON report ("gates": [...])`
  )
}

/** A baseline file of every finding of a report, by gate: what `release-gates baseline` writes. */
export function baselineOf(
  gates: Array<{ id: string; findings?: Finding[] }>
): Record<string, unknown> {
  const entries = gates
    .filter((gate) => gate.findings?.length)
    .map((gate) => [
      gate.id,
      {
        fingerprints: [...new Set(gate.findings!.map((finding) => finding.fingerprint!))],
        // For the people reading it: what each fingerprint was, and where.
        findings: gate.findings!.map(({ rule, path, line, package: pkg, fingerprint }) => ({
          rule,
          ...(path && { path }),
          ...(line && { line }),
          ...(pkg && { package: pkg }),
          fingerprint
        }))
      }
    ])
  return { version: 1, gates: Object.fromEntries(entries) }
}
