import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { FilesOptions } from '../../config/generated/options.js'

export type { FilesOptions }
import { open, stat } from 'node:fs/promises'
import { join } from 'node:path'
import picomatch from 'picomatch'
import { glob, isDynamicPattern } from 'tinyglobby'
import type { PlannedGate } from '../../config/model.js'
import type { Finding, Outcome, Workspace } from '../../model/types.js'
import { leadsOutside, OUTSIDE_LINK } from '../../util/inside.js'
import { allOf, cell, plural } from '../../util/text.js'
import { compileUserPattern } from '../../util/user-pattern.js'
import { repoPath, resolveInside } from '../shared/paths.js'

interface ContentRule {
  paths: string | string[]
  exclude?: string | string[]
  pattern: string
  'ignore-case'?: boolean
  message?: string
}

/** One line of the summary: a rule and whether it holds. */
interface RuleResult {
  rule: string
  ok: boolean
  detail: string
  /** Its findings have places in files (otherwise the broken rule is one finding itself). */
  located?: boolean
}

const ALWAYS_IGNORED = ['**/node_modules/**', '**/.git/**']
const DEFAULT_MAX_FILE_SIZE = 1024 * 1024
const MAX_ANNOTATIONS_PER_RULE = 200

/** Files and directories that must (not) exist, contents that must (not) appear, paths git must ignore. */
export async function filesCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'files')
  const root = workspace.cwd
  const results: RuleResult[] = []
  const findings: Finding[] = []
  /** A rule with more matches than it records: a baseline cannot judge what it did not see. */
  let capped = false
  const maxSize = options['max-file-size'] ?? DEFAULT_MAX_FILE_SIZE
  let tracked: Promise<string[]> | undefined
  const links = () => (tracked ??= trackedLinks(workspace))

  for (const pattern of options['must-exist'] ?? []) {
    const found = await findPaths(root, [pattern])
    results.push({
      rule: `\`${pattern}\` exists`,
      ok: found.length > 0,
      detail: found.length ? listSome(found) : 'nothing matches'
    })
  }
  for (const pattern of options['must-not-exist'] ?? []) {
    const found = await findPaths(root, [pattern])
    results.push({
      rule: `\`${pattern}\` does not exist`,
      ok: found.length === 0,
      detail: found.length ? `found: ${listSome(found)}` : 'absent',
      located: found.length > 0
    })
    if (found.length > MAX_ANNOTATIONS_PER_RULE) capped = true
    for (const path of found.slice(0, MAX_ANNOTATIONS_PER_RULE)) {
      findings.push({
        rule: 'must-not-exist',
        blocking: true,
        path,
        line: 1,
        level: 'failure',
        message: `${path} must not exist (${gate.name})`
      })
    }
  }
  for (const rule of options['must-match'] ?? []) {
    results.push(await mustMatch(root, rule, maxSize, await links()))
  }
  for (const rule of options['must-not-match'] ?? []) {
    const { result, hits, all } = await mustNotMatch(root, rule, maxSize, await links())
    results.push({ ...result, located: hits.length > 0 })
    findings.push(...hits)
    if (all > hits.length) capped = true
  }
  for (const path of options['must-be-ignored'] ?? []) {
    results.push(await mustBeIgnored(workspace, path))
  }

  const failing = results.filter((result) => !result.ok)
  // A rule broken without a place (a file that must exist, text that must appear) is a finding too.
  for (const result of failing)
    if (!result.located)
      findings.push({
        rule: 'files',
        blocking: true,
        level: 'failure',
        message: `${result.detail} (${result.rule})`
      })
  const rows = results.map(
    (result) => `| ${result.ok ? '✅' : '❌'} | ${cell(result.rule)} | ${cell(result.detail)} |`
  )
  return {
    conclusion: failing.length === 0 ? 'success' : 'failure',
    title:
      failing.length === 0
        ? `${allOf(results.length, 'file rule')} ${results.length === 1 ? 'holds' : 'hold'}`
        : `${failing.length} of ${plural(results.length, 'file rule')} broken: ${failing[0]!.rule.replace(/`/g, '')}${failing.length > 1 ? ', …' : ''}`,
    summary: ['| | Rule | Found |', '|---|---|---|', ...rows].join('\n'),
    annotations: [],
    findings,
    decidedByFindings: !capped
  }
}

/** Literal paths are checked directly (files or directories); globs are expanded. */
async function findPaths(
  root: string,
  patterns: string[],
  exclude: string[] = []
): Promise<string[]> {
  const found = new Set<string>()
  const globs: string[] = []
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) globs.push(pattern)
    else if (await exists(resolveInside(root, pattern)))
      found.add(repoPath(root, resolveInside(root, pattern)))
  }
  if (globs.length) {
    for (const path of await glob(globs, {
      cwd: root,
      dot: true,
      onlyFiles: false,
      ignore: [...ALWAYS_IGNORED, ...exclude],
      expandDirectories: false
    })) {
      found.add(path.replace(/\/$/, ''))
    }
  }
  return [...found].sort()
}

/**
 * Tracked symbolic links (git mode 120000): the walk does not follow links (one to `/` would
 * crawl the machine), so these are added by name and judged one by one when read.
 */
async function trackedLinks(workspace: Workspace): Promise<string[]> {
  const listed = await workspace.exec(['git', 'ls-files', '-s', '-z'], {
    cwd: workspace.cwd,
    signal: workspace.signal
  })
  if (listed.code !== 0) return []
  return listed.stdout
    .split('\0')
    .filter((entry) => entry.startsWith('120000 '))
    .map((entry) => entry.slice(entry.indexOf('\t') + 1))
}

/** Regular files, and tracked links, for content rules. */
async function findFiles(root: string, rule: ContentRule, links: string[]): Promise<string[]> {
  const patterns = [rule.paths].flat()
  const exclude = rule.exclude === undefined ? [] : [rule.exclude].flat()
  const isLinked = picomatch(
    patterns.map((pattern) => pattern.replace(/\/$/, '')),
    { dot: true, ignore: [...ALWAYS_IGNORED, ...exclude] }
  )
  const linked = links.filter((path) => isLinked(path))
  const files = await glob(
    patterns.map((pattern) => (isDynamicPattern(pattern) ? pattern : pattern.replace(/\/$/, ''))),
    {
      cwd: root,
      dot: true,
      onlyFiles: true,
      // A linked directory may lead anywhere; linked files are judged one by one when read.
      followSymbolicLinks: false,
      ignore: [...ALWAYS_IGNORED, ...exclude]
    }
  )
  return [...new Set([...files, ...linked])].sort()
}

async function mustMatch(
  root: string,
  rule: ContentRule,
  maxSize: number,
  links: string[]
): Promise<RuleResult> {
  const label = `${describePaths(rule)} contain /${rule.pattern}/`
  const files = await findFiles(root, rule, links)
  if (files.length === 0)
    return {
      rule: label,
      ok: false,
      detail: 'the paths match no files, so nothing could be checked'
    }
  const regex = compileUserPattern(rule.pattern, { ignoreCase: rule['ignore-case'] ?? false })
  const missing: string[] = []
  const skipped: Array<{ file: string; why: string }> = []
  for (const file of files) {
    const text = await readSearchable(root, file, maxSize)
    if (typeof text !== 'string') skipped.push({ file, why: text.why })
    else if (!text.split(/\r?\n/).some((line) => regex.test(line))) missing.push(file)
  }
  // A file we could not search proves nothing: it counts against the rule.
  const bad = [...missing, ...skipped]
  return {
    rule: label,
    ok: bad.length === 0,
    detail:
      bad.length === 0
        ? `${plural(files.length, 'file')} checked`
        : [
            missing.length ? `missing in ${listSome(missing)}` : '',
            skipped.length ? `not searchable: ${describeSkipped(skipped)}` : ''
          ]
            .filter(Boolean)
            .join('; ')
  }
}

async function mustNotMatch(
  root: string,
  rule: ContentRule,
  maxSize: number,
  links: string[]
): Promise<{ result: RuleResult; hits: Finding[]; all: number }> {
  const label = `${describePaths(rule)} free of /${rule.pattern}/`
  const files = await findFiles(root, rule, links)
  if (files.length === 0) {
    return {
      result: {
        rule: label,
        ok: false,
        detail: 'the paths match no files, so nothing could be checked'
      },
      hits: [],
      all: 0
    }
  }
  const regex = compileUserPattern(rule.pattern, { ignoreCase: rule['ignore-case'] ?? false })
  const hits: Finding[] = []
  const skipped: Array<{ file: string; why: string }> = []
  let count = 0
  for (const file of files) {
    const text = await readSearchable(root, file, maxSize)
    if (typeof text !== 'string') {
      skipped.push({ file, why: text.why })
      continue
    }
    for (const [index, line] of text.split(/\r?\n/).entries()) {
      const match = regex.exec(line)
      if (!match) continue
      count++
      if (hits.length < MAX_ANNOTATIONS_PER_RULE) {
        hits.push({
          rule: 'must-not-match',
          blocking: true,
          path: file,
          line: index + 1,
          column: match.index + 1,
          level: 'failure',
          message: rule.message ?? `matches the forbidden pattern /${rule.pattern}/`
        })
      }
    }
  }
  const hitFiles = [...new Set(hits.map((hit) => hit.path!))]
  const skippedNote = skipped.length ? `; not searched: ${describeSkipped(skipped)}` : ''
  return {
    result: {
      rule: label,
      ok: count === 0,
      detail:
        count === 0
          ? `${plural(files.length - skipped.length, 'file')} searched${skippedNote}`
          : `${plural(count, 'match', 'matches')} in ${listSome(hitFiles)}${skippedNote}`
    },
    hits,
    all: count
  }
}

async function mustBeIgnored(workspace: Workspace, path: string): Promise<RuleResult> {
  const rule = `\`${path}\` ignored by git and not tracked`
  const git = (args: string[]) =>
    workspace.exec(['git', ...args], { cwd: workspace.cwd, signal: workspace.signal })
  const ignored = await git(['check-ignore', '-q', '--no-index', '--', path])
  if (ignored.code !== 0 && ignored.code !== 1) {
    return {
      rule,
      ok: false,
      detail: `git could not tell: ${ignored.stderr.trim() || `exit ${ignored.code}`}`
    }
  }
  const tracked = await git(['ls-files', '--', path])
  if (tracked.code !== 0)
    return { rule, ok: false, detail: `git ls-files failed: ${tracked.stderr.trim()}` }
  const trackedFiles = tracked.stdout.split('\n').filter(Boolean)
  if (ignored.code === 1) return { rule, ok: false, detail: 'not matched by any .gitignore rule' }
  if (trackedFiles.length) {
    return {
      rule,
      ok: false,
      detail: `ignored, but tracked anyway: ${listSome(trackedFiles)} (git rm --cached it)`
    }
  }
  return { rule, ok: true, detail: 'ignored and not tracked' }
}

/** The text of a file, or undefined when it is too big or binary (a NUL byte in its head). */
type Unsearchable = { why: string }

/** A file's text, or why it cannot be searched (binary, over the size cap, a link out of the repository). */
async function readSearchable(
  root: string,
  file: string,
  maxSize: number
): Promise<string | Unsearchable> {
  // Listed by the walk or by git, so inside by name; a link may still lead out.
  const absolute = join(root, file)
  if (leadsOutside(root, absolute)) return { why: OUTSIDE_LINK }
  const info = await stat(absolute).catch(() => undefined)
  if (!info?.isFile()) return { why: 'not a readable file (a dangling link, or a directory)' }
  if (info.size > maxSize) return { why: `over ${maxSize} bytes` }
  const handle = await open(absolute, 'r')
  try {
    const buffer = await handle.readFile()
    if (buffer.subarray(0, 8000).includes(0)) return { why: 'binary' }
    return buffer.toString('utf8')
  } finally {
    await handle.close()
  }
}

/** `not searched: 2 binary (a.png, b.png); 1 links out of the repository (not followed) (x.txt)` */
function describeSkipped(skipped: Array<{ file: string; why: string }>): string {
  const byWhy = new Map<string, string[]>()
  for (const { file, why } of skipped) byWhy.set(why, [...(byWhy.get(why) ?? []), file])
  return [...byWhy].map(([why, files]) => `${why}: ${listSome(files)}`).join('; ')
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

function describePaths(rule: ContentRule): string {
  const paths = [rule.paths]
    .flat()
    .map((path) => `\`${path}\``)
    .join(', ')
  const exclude =
    rule.exclude === undefined
      ? ''
      : ` (except ${[rule.exclude]
          .flat()
          .map((path) => `\`${path}\``)
          .join(', ')})`
  return paths + exclude
}

function listSome(items: string[], limit = 5): string {
  const shown = items
    .slice(0, limit)
    .map((item) => `\`${item}\``)
    .join(', ')
  return items.length > limit ? `${shown} and ${items.length - limit} more` : shown
}

/** The `files` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'files',
  cpuBound: true,
  run: filesCheck,
  reportsFindings: true
}
