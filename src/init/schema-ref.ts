import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'

/** Where the released schema of a version is served from: the raw file at its tag. */
export const schemaUrlOf = (version: string) =>
  `https://raw.githubusercontent.com/release-gates/release-gates/v${version}/gates/schema.json`

/**
 * What a new gates file's `$schema` points at, so an editor checks it as it is typed: the schema
 * of the installed package (`node_modules/release-gates/gates/schema.json`, the version the
 * project runs), else the released one of this version.
 */
export function schemaReference(root: string, gatesFile: string, version: string): string {
  const installed = join(root, 'node_modules', 'release-gates', 'gates', 'schema.json')
  return existsSync(installed)
    ? relative(dirname(gatesFile), installed).split('\\').join('/')
    : schemaUrlOf(version)
}
