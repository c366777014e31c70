import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { SecretsOptions } from '../../config/generated/options.js'

export type { SecretsOptions }
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { PlannedGate } from '../../config/model.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import type { SecretFinding } from '../../secrets/finding.js'
export type { SecretFinding } from '../../secrets/finding.js'
import type { ContentOptions } from '../../secrets/content.js'
import { secretFingerprint, secretPreview } from '../../secrets/redact.js'
import { loadSecretRules, parseSecretRules } from '../../secrets/rules.js'
import { toPortable } from '../../secrets/rule.js'
import { scanFiles } from '../../secrets/pool.js'
import type { SecretRule } from '../../secrets/rules.js'
import { scanText } from '../../secrets/scan.js'
import { addedLines, listFiles, pathFilter } from '../../secrets/sources.js'
import { toSarif } from '../../secrets/sarif.js'
import { waivedByAny } from '../../engine/waivers.js'
import { cell, plural } from '../../util/text.js'
import { compileUserPattern } from '../../util/user-pattern.js'
import { failed } from '../shared/outcome.js'
import { resolveInside } from '../shared/paths.js'

let builtInRules: SecretRule[] | undefined

/** What a scan established: its findings (the secrets registered, never kept) and its extent. */
export interface SecretScan {
  findings: SecretFinding[]
  mode: 'files' | 'diff' | 'history'
  scanned: number
  skipped: Record<string, number>
  rules: SecretRule[]
}

/** Why a scan could not run: reported as the gate's failure, never as "no secrets". */
export class ScanNotPossible extends Error {}

/**
 * Scans the repository as `options` say; shared by the gate and `release-gates secrets baseline`.
 * Each secret found is handed to `workspace.secret` (masked everywhere) and kept only as a preview
 * and a fingerprint.
 */
export async function scanRepository(
  options: SecretsOptions,
  workspace: Pick<Workspace, 'cwd' | 'exec' | 'signal' | 'secret' | 'github' | 'readPolicyFile'>
): Promise<SecretScan> {
  const root = workspace.cwd
  const rulesFile = options['rules-file']
  const rules = [
    ...(builtInRules ??= loadSecretRules()),
    ...(rulesFile
      ? parseSecretRules(await readPolicy(workspace, rulesFile, 'rules file'), rulesFile)
      : [])
  ].filter((rule) => options.rules?.[rule.id]?.enabled !== false)
  const ruleAllow = new Map(
    Object.entries(options.rules ?? {}).map(([id, rule]) => [
      id,
      (rule.allow ?? []).map((source) => compileUserPattern(source))
    ])
  )
  const contentOptions: ContentOptions = {
    maxFileSize: options['max-file-size'] ?? 1024 * 1024,
    skipMinified: options['skip-minified'] ?? true,
    allow: (options.allow ?? []).map((source) => compileUserPattern(source))
  }
  const include = pathFilter(options)
  const mode = options.mode ?? 'files'
  const raw: Array<{
    ruleId: string
    path: string
    line: number
    column: number
    endColumn: number
    secret: string
    commit?: string
  }> = []
  const skipped: Record<string, number> = {}
  let scanned = 0

  if (mode === 'files') {
    const paths = (await listFiles(root, workspace.exec, workspace.signal)).filter(include)
    const result = await scanFiles(
      {
        root,
        rules: rules.map(toPortable),
        allow: options.allow ?? [],
        maxFileSize: contentOptions.maxFileSize,
        skipMinified: contentOptions.skipMinified
      },
      paths,
      workspace.signal
    )
    raw.push(...result.matches)
    scanned = result.scanned
    Object.assign(skipped, result.skipped)
  } else {
    const range = rangeOf(options, workspace)
    if (mode === 'diff' && !range.base)
      throw new ScanNotPossible(
        'Run on a pull request, or give `base` (a ref or sha): without one no added line is known, so nothing could be checked.'
      )
    const changes = await addedLines(root, workspace.exec, mode, range, workspace.signal)
    for (const change of changes.filter((file) => include(file.path))) {
      scanned++
      // Consecutive added lines are scanned together, so multi-line keys are seen whole.
      for (const block of contiguous(change.lines)) {
        const text = block.map((line) => line.text).join('\n')
        for (const match of scanText(text, rules, contentOptions))
          raw.push({
            ...match,
            line: block[match.line - 1]!.line,
            path: change.path,
            ...(change.commit && { commit: change.commit })
          })
      }
    }
  }

  const kept = raw.filter(
    (match) => !ruleAllow.get(match.ruleId)?.some((allow) => allow.test(match.secret))
  )
  const ruleById = new Map(rules.map((rule) => [rule.id, rule]))
  // Each distinct rule, path and secret once, all at the same time (scrypt runs in libuv's pool).
  const fingerprints = new Map<string, Promise<string>>()
  for (const match of kept) {
    const key = `${match.ruleId}\0${match.path}\0${match.secret}`
    const rule = ruleById.get(match.ruleId) ?? { id: match.ruleId, issued: false }
    if (!fingerprints.has(key))
      fingerprints.set(key, secretFingerprint(rule, match.path, match.secret))
  }
  await Promise.all(fingerprints.values())
  const findings: SecretFinding[] = []
  const seen = new Set<string>()
  for (const match of kept) {
    // Outputs never carry the value; masking it is the second line of defence. A short one, or
    // a plain word (usually a false alarm), would mask ordinary words everywhere instead.
    if (match.secret.length >= 8 && /[^A-Za-z]/.test(match.secret)) workspace.secret(match.secret)
    const fingerprint = await fingerprints.get(`${match.ruleId}\0${match.path}\0${match.secret}`)!
    // history: the same secret in later commits is the same leak.
    if (
      seen.has(`${fingerprint}:${match.line}:${match.commit ?? ''}`) ||
      (match.commit && seen.has(fingerprint))
    )
      continue
    seen.add(`${fingerprint}:${match.line}:${match.commit ?? ''}`)
    seen.add(fingerprint)
    findings.push({
      ruleId: match.ruleId,
      description: ruleById.get(match.ruleId)?.description ?? match.ruleId,
      path: match.path,
      line: match.line,
      column: match.column,
      endColumn: match.endColumn,
      ...(match.commit && { commit: match.commit }),
      preview: secretPreview(match.secret),
      fingerprint
    })
  }
  return { findings, mode, scanned, skipped, rules }
}

/**
 * Hardcoded credentials in the repository: tracked files (`mode: files`), the lines a pull request
 * adds (`diff`), or every commit of a range (`history`). Found secrets are registered as secrets
 * (masked everywhere) and reported only as a preview and a fingerprint.
 */
export async function secretsCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'secrets')
  const root = workspace.cwd
  let scan: SecretScan
  try {
    scan = await scanRepository(options, workspace)
  } catch (error) {
    if (error instanceof ScanNotPossible)
      return failed('mode: diff needs a base to compare with', error.message)
    throw error
  }
  const { findings, mode, scanned, skipped, rules } = scan
  const baseline = options.baseline
    ? parseBaseline(
        await readPolicy(workspace, options.baseline, 'secrets baseline'),
        options.baseline
      )
    : new Set<string>()
  const open: SecretFinding[] = []
  const accepted: Array<{ finding: SecretFinding; why: string }> = []
  for (const finding of findings)
    if (baseline.has(finding.fingerprint)) accepted.push({ finding, why: 'in the baseline' })
    else open.push(finding)
  // What the engine's waivers will take out stays out of this file too: code scanning would
  // raise it as an alert (it ignores SARIF suppressions).
  const sarifProblem = options.sarif
    ? await writeSarif(
        resolveInside(root, options.sarif),
        toSarif(
          open.filter((finding) => !waivedByAny(gate, asFinding(finding), workspace.now)),
          rules
        )
      )
    : undefined

  const what =
    mode === 'files'
      ? plural(scanned, 'file')
      : mode === 'diff'
        ? `the lines added in ${plural(scanned, 'file')}`
        : `${plural(scanned, 'file change')} in history`
  // The engine's waivers take out what they cover; then the verdict is told again from the rest.
  const describe = (judged: Finding[]): Pick<Outcome, 'conclusion' | 'title' | 'summary'> => {
    const waivedBy = new Map(
      judged.flatMap((finding) => (finding.waived ? [[finding.fingerprint, finding.waived]] : []))
    )
    const left = open.filter((finding) => !waivedBy.has(finding.fingerprint))
    const covered = [
      ...accepted,
      ...open.flatMap((finding) => {
        const waiver = waivedBy.get(finding.fingerprint)
        return waiver
          ? [
              {
                finding,
                why: `waived by ${waiver.owner} until ${waiver.expires}: ${waiver.reason}`
              }
            ]
          : []
      })
    ]
    return {
      conclusion: left.length ? 'failure' : 'success',
      title: left.length
        ? `${plural(left.length, 'secret')} found in ${plural(new Set(left.map((finding) => finding.path)).size, 'file')}`
        : `No secrets in ${what}${covered.length ? ` (${covered.length} accepted)` : ''}`,
      summary: [
        renderSummary(left, covered, { mode, what, skipped, rules: rules.length }),
        ...(sarifProblem
          ? [`⚠️ The SARIF file \`${options.sarif}\` could not be written: ${sarifProblem}.`]
          : [])
      ].join('\n\n')
    }
  }
  return {
    ...describe([]),
    annotations: [],
    findings: open.map(asFinding),
    describe,
    decidedByFindings: true
  }
}

/** A scanner finding as the engine's data: the scanner's fingerprint (rule, path, secret), since the line may move and the secret does not. */
function asFinding(finding: SecretFinding): Finding {
  return {
    rule: finding.ruleId,
    title: `Secret: ${finding.ruleId}`,
    level: 'failure',
    message: `${finding.description}: ${finding.preview}${finding.commit ? ` (commit ${finding.commit.slice(0, 12)})` : ''}. Revoke it, then remove it; history keeps it.`,
    blocking: true,
    path: finding.path,
    line: finding.line,
    column: finding.column,
    endColumn: finding.endColumn,
    fingerprint: finding.fingerprint
  }
}

/** Writes the SARIF file, its directory too; the reason when it cannot (the findings still count). */
async function writeSarif(path: string, sarif: unknown): Promise<string | undefined> {
  try {
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, `${JSON.stringify(sarif, null, 2)}\n`)
    return undefined
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? (error as Error).message
  }
}

function rangeOf(
  options: SecretsOptions,
  workspace: Pick<Workspace, 'github'>
): { base?: string; head: string } {
  const github = workspace.github
  const base = options.base ?? github?.pullRequest?.baseSha ?? github?.baseSha
  return { ...(base && { base }), head: options.head ?? 'HEAD' }
}

function contiguous(
  lines: Array<{ line: number; text: string }>
): Array<Array<{ line: number; text: string }>> {
  const blocks: Array<Array<{ line: number; text: string }>> = []
  for (const line of lines) {
    const last = blocks.at(-1)
    if (last && last.at(-1)!.line + 1 === line.line) last.push(line)
    else blocks.push([line])
  }
  return blocks
}

/** Where `release-gates secrets baseline` writes by default. */
export const DEFAULT_SECRETS_BASELINE = '.github/release-gates-secrets-baseline.json'

/** The baseline file: fingerprints to accept, and where each was, for the people reading it. */
export function secretsBaseline(findings: SecretFinding[]): unknown {
  return {
    version: 1,
    fingerprints: [...new Set(findings.map((finding) => finding.fingerprint))],
    findings: findings.map(({ ruleId, path, line, fingerprint }) => ({
      ruleId,
      path,
      line,
      fingerprint
    }))
  }
}

/** A policy file's text, or an error that names it (the gate then fails: it cannot evaluate). */
async function readPolicy(
  workspace: Pick<Workspace, 'readPolicyFile'>,
  path: string,
  what: string
): Promise<string> {
  try {
    return await workspace.readPolicyFile(path)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new Error(
      `cannot read the ${what} ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? (error as Error).message)}`
    )
  }
}

/** A baseline: `release-gates secrets baseline` writes `{ "fingerprints": [...] }`. */
function parseBaseline(text: string, path: string): Set<string> {
  let data: { fingerprints?: unknown }
  try {
    data = JSON.parse(text) as { fingerprints?: unknown }
  } catch (error) {
    throw new Error(`the secrets baseline ${path} is not JSON: ${(error as Error).message}`)
  }
  if (
    !Array.isArray(data.fingerprints) ||
    data.fingerprints.some((value) => typeof value !== 'string')
  )
    throw new Error(`the secrets baseline ${path} has no "fingerprints" list of strings`)
  return new Set(data.fingerprints as string[])
}

function renderSummary(
  open: SecretFinding[],
  accepted: Array<{ finding: SecretFinding; why: string }>,
  context: { mode: string; what: string; skipped: Record<string, number>; rules: number }
): string {
  const parts = [
    `Scanned ${context.what} (mode \`${context.mode}\`) with ${context.rules} rules.${
      Object.keys(context.skipped).length
        ? ` Not searched: ${Object.entries(context.skipped)
            .map(([why, count]) => `${count} ${why}`)
            .join(', ')}.`
        : ''
    }`
  ]
  const row = (finding: SecretFinding, note = '') =>
    `| \`${finding.ruleId}\` | \`${cell(finding.path)}:${finding.line}\`${finding.commit ? ` (${finding.commit.slice(0, 12)})` : ''} | \`${cell(finding.preview)}\` | ${cell(finding.description)}${note} | \`${finding.fingerprint.slice(0, 12)}\` |`
  if (open.length || accepted.length)
    parts.push(
      [
        '| Rule | Where | Preview | What | Fingerprint |',
        '|---|---|---|---|---|',
        ...open.map((finding) => row(finding)),
        ...accepted.map(({ finding, why }) => row(finding, ` (accepted: ${cell(why)})`))
      ].join('\n')
    )
  if (open.length)
    parts.push(
      'A secret that reached the repository must be revoked: removing it from the file does not remove it from history. A value that is not a secret can be allowed with a `release-gates:allow-secret` comment on its line, an `allow` pattern, or the baseline.'
    )
  return parts.join('\n\n')
}

/** The `secrets` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'secrets',
  findsSecrets: true,
  cpuBound: true,
  run: secretsCheck,
  reportsFindings: true
}
