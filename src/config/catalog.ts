import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let cached: string | undefined

/**
 * The `gates/` folder shipped beside the code (schema, presets). Found by walking up from this
 * module, because its depth differs between src/ (tests) and the dist/ bundles.
 */
export function catalogDir(): string {
  if (cached) return cached
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(join(dir, 'gates', 'schema.json'))) return (cached = join(dir, 'gates'))
    const parent = dirname(dir)
    if (parent === dir)
      throw new Error('the gates/ catalog (schema.json) is missing from the installation')
    dir = parent
  }
}
