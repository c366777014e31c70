/** Pure helpers of the `git` check: tag templates and changelog entries. */
import { escapeRegExp } from '../../util/redact.js'

/** `v${version}` -> `v1.2.0`, from package.json's `version` and `name`. */
export function expandVersionTemplate(
  template: string,
  pkg: { name?: string; version?: string }
): string {
  return template
    .replace(/\$\{version\}/g, pkg.version ?? '')
    .replace(/\$\{name\}/g, pkg.name ?? '')
}

/** A tag given as a glob (`v*`, `release-[0-9]*`) rather than one name. */
export function isTagPattern(tag: string): boolean {
  return /[*?[]/.test(tag)
}

/**
 * The 1-based line of a changelog's entry for `version`: a heading (`## [1.2.0] - 2026-11-01`,
 * `# v1.2.0`, `### 1.2.0 (2026-11-01)`) or a line that starts with it (`1.2.0 / 2026-11-01`).
 * `1.2.0-beta.1` and `11.2.0` are other versions.
 */
export function changelogEntryLine(text: string, version: string): number | undefined {
  const bare = version.replace(/^v/, '')
  const versionToken = `(?<![\\w.-])v?${escapeRegExp(bare)}(?![\\w-]|\\.\\d)`
  const entry = new RegExp(`^(?:#{1,6}\\s.*${versionToken}|\\s*\\[?${versionToken})`)
  const lines = text.split(/\r?\n/)
  const index = lines.findIndex((line) => entry.test(line))
  return index < 0 ? undefined : index + 1
}
