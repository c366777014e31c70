import picomatch from 'picomatch'
import { glob } from 'tinyglobby'
import type { ExecFn } from '../util/exec.js'
import { parseAddedLines } from './diff.js'
import type { AddedLines } from './diff.js'

export interface FileFilter {
  paths?: string[]
  exclude?: string[]
}

/** Matches repository paths against `paths` (default: everything) and `exclude`. */
export function pathFilter(filter: FileFilter): (path: string) => boolean {
  const include = filter.paths?.length ? picomatch(filter.paths, { dot: true }) : () => true
  const exclude = filter.exclude?.length ? picomatch(filter.exclude, { dot: true }) : () => false
  return (path) => include(path) && !exclude(path) && !/(^|\/)(node_modules|\.git)\//.test(path)
}

/**
 * The files to scan: what git tracks (so `.gitignore` is honoured) in a repository, every file
 * otherwise (a directory that is not a checkout).
 */
export async function listFiles(
  root: string,
  exec: ExecFn,
  signal?: AbortSignal
): Promise<string[]> {
  const result = await exec(['git', 'ls-files', '-z', '--cached'], { cwd: root, signal })
  if (result.code === 0) return result.stdout.split('\0').filter(Boolean)
  return glob('**/*', { cwd: root, dot: true, ignore: ['**/.git/**'], onlyFiles: true })
}

/** What `mode: diff` and `mode: history` read from git. */
export async function addedLines(
  root: string,
  exec: ExecFn,
  mode: 'diff' | 'history',
  range: { base?: string; head: string },
  signal?: AbortSignal
): Promise<AddedLines[]> {
  const args =
    mode === 'diff'
      ? [
          'git',
          '-c',
          'core.quotePath=true',
          'diff',
          '--unified=0',
          '--no-color',
          '--no-ext-diff',
          '--no-renames',
          `${range.base}...${range.head}`
        ]
      : [
          'git',
          'log',
          '-p',
          '--unified=0',
          '--no-color',
          '--no-ext-diff',
          '--no-renames',
          '--format=commit:%H',
          range.base ? `${range.base}..${range.head}` : range.head
        ]
  const shallow = await isShallow(root, exec, signal)
  if (mode === 'history' && !range.base && shallow)
    throw new Error(
      `this is a shallow clone, so its history is only the commits fetched: scanning it would miss every older commit. Check out with \`fetch-depth: 0\` (actions/checkout), or give \`base\` to scan a range`
    )
  const result = await exec(args, { cwd: root, signal, maxOutputBytes: 512 * 1024 * 1024 })
  if (result.truncated)
    throw new Error(
      `git ${mode === 'diff' ? 'diff' : 'log'} printed more than 512 MiB: narrow the range (base) or the paths`
    )
  if (result.code !== 0) {
    const command = `git ${mode === 'diff' ? 'diff' : 'log'}`
    // git prints its usage after a bad revision: the reason is the `fatal:` line, not the last.
    const reason =
      result.stderr.split('\n').find((line) => line.startsWith('fatal:')) ??
      result.stderr.trim().split('\n')[0] ??
      `exit ${result.code}`
    const inRepository =
      (await exec(['git', 'rev-parse', '--git-dir'], { cwd: root, signal })).code === 0
    const missing = []
    if (inRepository)
      for (const ref of [range.base, range.head].filter((ref): ref is string => Boolean(ref)))
        if (
          (await exec(['git', 'cat-file', '-e', `${ref}^{commit}`], { cwd: root, signal })).code !==
          0
        )
          missing.push(ref)
    if (missing.length)
      throw new Error(
        `${command} cannot read ${missing.map((ref) => `\`${ref.slice(0, 12)}\``).join(' and ')}: not in this clone${shallow ? ' (a shallow clone has only the commits it fetched)' : ''}. Check out with \`fetch-depth: 0\` (actions/checkout) so the range's commits are there`
      )
    throw new Error(`${command} failed: ${reason.trim()}`)
  }
  return parseAddedLines(result.stdout)
}

async function isShallow(root: string, exec: ExecFn, signal?: AbortSignal): Promise<boolean> {
  const result = await exec(['git', 'rev-parse', '--is-shallow-repository'], { cwd: root, signal })
  return result.code === 0 && result.stdout.trim() === 'true'
}
