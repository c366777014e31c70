import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { GitOptions } from '../../config/generated/options.js'

export type { GitOptions }
import { readFile } from 'node:fs/promises'
import type { PlannedGate } from '../../config/model.js'
import type { Annotation, Outcome, Workspace } from '../../model/types.js'
import type { ExecResult } from '../../util/exec.js'
import { plural } from '../../util/text.js'
import { describeFailure, renderAssertions } from '../shared/assertions.js'
import type { Assertion } from '../shared/assertions.js'
import { resolveInside } from '../shared/paths.js'
import { changelogEntryLine, expandVersionTemplate, isTagPattern } from './release.js'

/** Release facts from git: the version's tag, a clean tree, the branch, the changelog entry. */
export async function gitCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'git')
  const git = (...args: string[]): Promise<ExecResult> =>
    workspace.exec(['git', ...args], { cwd: workspace.cwd, signal: workspace.signal })

  const inside = await git('rev-parse', '--verify', 'HEAD')
  if (inside.code !== 0)
    return failure(
      'Not a git repository with a commit',
      `\`git rev-parse HEAD\` in \`${workspace.cwd}\` failed: ${inside.stderr.trim() || `exit ${inside.code}`}`
    )
  const head = inside.stdout.trim()
  const shallow = (await git('rev-parse', '--is-shallow-repository')).stdout.trim() === 'true'

  const needsPackage =
    options.changelog !== undefined && options.changelog !== false
      ? true
      : /\$\{(?:version|name)\}/.test(options.tag ?? '')
  let pkg: { name?: string; version?: string } = {}
  const packagePath = options['package-json'] ?? 'package.json'
  if (needsPackage) {
    try {
      pkg = JSON.parse(await readFile(resolveInside(workspace.cwd, packagePath), 'utf8')) as {
        name?: string
        version?: string
      }
    } catch (error) {
      return failure(
        `Cannot read the version from ${packagePath}`,
        `${packagePath}: ${(error as Error).message}`
      )
    }
    if (typeof pkg.version !== 'string' || !pkg.version)
      return failure(
        `${packagePath} has no version`,
        `The tag and changelog are checked against \`version\` in ${packagePath}, which has none.`
      )
  }

  const assertions: Assertion[] = []
  const annotations: Annotation[] = []
  if (options.tag !== undefined)
    assertions.push(
      await tagAssertion(git, expandVersionTemplate(options.tag, pkg), head, options, shallow)
    )
  if (options.clean) {
    const ignoreUntracked = typeof options.clean === 'object' && options.clean['ignore-untracked']
    const status = await git(
      'status',
      '--porcelain=v1',
      ...(ignoreUntracked ? ['--untracked-files=no'] : [])
    )
    const changed = status.stdout.split('\n').filter(Boolean)
    assertions.push({
      what: 'working tree',
      expected: ignoreUntracked ? 'no uncommitted changes to tracked files' : 'clean',
      got:
        status.code !== 0
          ? `git status failed: ${status.stderr.trim()}`
          : changed.length
            ? `${plural(changed.length, 'change')}: ${changed
                .slice(0, 10)
                .map((line) => line.slice(3))
                .join(', ')}${changed.length > 10 ? ', …' : ''}`
            : 'clean',
      ok: status.code === 0 && changed.length === 0
    })
  }
  if (options.branch !== undefined)
    assertions.push(await branchAssertion(git, [options.branch].flat(), head, shallow))
  if (options.changelog !== undefined && options.changelog !== false) {
    const path = options.changelog === true ? 'CHANGELOG.md' : options.changelog
    let text: string | undefined
    try {
      text = await readFile(resolveInside(workspace.cwd, path), 'utf8')
    } catch {
      text = undefined
    }
    const line = text === undefined ? undefined : changelogEntryLine(text, pkg.version!)
    assertions.push({
      what: `${path} entry`,
      expected: `a heading for ${pkg.version}`,
      got:
        text === undefined
          ? `no ${path}`
          : line
            ? `line ${line}`
            : `no heading names ${pkg.version}`,
      ok: line !== undefined
    })
    if (text !== undefined && line === undefined)
      annotations.push({
        path,
        line: 1,
        level: 'failure',
        title: 'No changelog entry',
        message: `${path} has no entry for ${pkg.version} (from ${packagePath}): add a heading such as "## [${pkg.version}]".`
      })
  }

  const failed = assertions.filter((assertion) => !assertion.ok)
  return {
    conclusion: failed.length ? 'failure' : 'success',
    title: failed.length
      ? `${failed.length} of ${plural(assertions.length, 'release check')} failed: ${describeFailure(failed[0]!)}`
      : assertions.map((assertion) => `${assertion.what}: ${assertion.got}`).join('; '),
    summary: [
      `HEAD is \`${head.slice(0, 12)}\`${shallow ? ' (a shallow clone)' : ''}${pkg.version ? `; ${packagePath} says version \`${pkg.version}\`` : ''}.`,
      '',
      renderAssertions(assertions)
    ].join('\n'),
    annotations
  }
}

type Git = (...args: string[]) => Promise<ExecResult>

async function tagAssertion(
  git: Git,
  tag: string,
  head: string,
  options: GitOptions,
  shallow: boolean
): Promise<Assertion> {
  const atHead = options['tag-at-head'] ?? true
  const expected = `tag ${tag}${atHead ? ' at HEAD' : ''}`
  // actions/checkout fetches no tags by default: say how to get them.
  const noTagsHint = shallow
    ? ' (a shallow clone has no tags: `fetch-depth: 0` or `fetch-tags: true`)'
    : ''
  if (isTagPattern(tag)) {
    const listed = await git('tag', '--list', tag, ...(atHead ? ['--points-at', head] : []))
    const tags = listed.stdout.split('\n').filter(Boolean)
    return {
      what: 'release tag',
      expected,
      got: tags.length
        ? tags.join(', ')
        : `no tag matches ${tag}${atHead ? ' at HEAD' : ''}${noTagsHint}`,
      ok: tags.length > 0
    }
  }
  const resolved = await git('rev-parse', '-q', '--verify', `refs/tags/${tag}^{commit}`)
  if (resolved.code !== 0) {
    const latest = await git('describe', '--tags', '--abbrev=0', head)
    return {
      what: 'release tag',
      expected,
      got: `no tag ${tag}${latest.code === 0 ? ` (latest tag reachable from HEAD: ${latest.stdout.trim()})` : ''}${noTagsHint}`,
      ok: false
    }
  }
  const target = resolved.stdout.trim()
  return {
    what: 'release tag',
    expected,
    got:
      target === head
        ? `${tag} at HEAD`
        : `${tag} points at ${target.slice(0, 12)}, HEAD is ${head.slice(0, 12)}`,
    ok: !atHead || target === head
  }
}

async function branchAssertion(
  git: Git,
  branches: string[],
  head: string,
  shallow: boolean
): Promise<Assertion> {
  const expected = `HEAD on or contained in ${branches.join(' or ')}`
  const current = (await git('symbolic-ref', '-q', '--short', 'HEAD')).stdout.trim()
  if (branches.includes(current))
    return { what: 'branch', expected, got: `on ${current}`, ok: true }
  const absent: string[] = []
  const elsewhere: string[] = []
  for (const branch of branches) {
    const refs: string[] = []
    for (const ref of [`refs/heads/${branch}`, `refs/remotes/origin/${branch}`]) {
      const exists = await git('rev-parse', '-q', '--verify', `${ref}^{commit}`)
      if (exists.code === 0) refs.push(exists.stdout.trim())
    }
    if (!refs.length) absent.push(branch)
    for (const commit of refs) {
      const contained = await git('merge-base', '--is-ancestor', head, commit)
      if (contained.code === 0)
        return { what: 'branch', expected, got: `contained in ${branch}`, ok: true }
    }
    if (refs.length) elsewhere.push(branch)
  }
  const why = [
    elsewhere.length ? `not contained in ${elsewhere.join(' or ')}` : '',
    absent.length ? `no branch ${absent.join(' or ')} here (nor origin/…)` : ''
  ]
    .filter(Boolean)
    .join('; ')
  return {
    what: 'branch',
    expected,
    got: `${current ? `on ${current}` : 'detached HEAD'}, ${why}${shallow ? ' (a shallow clone may lack the history that shows it: `fetch-depth: 0`)' : ''}`,
    ok: false
  }
}

function failure(title: string, summary: string): Outcome {
  return { conclusion: 'failure', title, summary, annotations: [] }
}

/** The `git` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = { name: 'git', cpuBound: false, run: gitCheck }
