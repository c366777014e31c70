import { execFile, execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startAdvisoryServer } from '../helpers/advisory-server.js'
import type { AdvisoryServer } from '../helpers/advisory-server.js'
import { git, gitRepo, tempDir } from '../helpers/fs.js'

const run = promisify(execFile)
const temp = tempDir('rg-package-')
let server: AdvisoryServer
let tarball: string
let files: string[]

beforeAll(async () => {
  server = await startAdvisoryServer()
  // What `npm publish` would upload: the tarball npm packs from the committed dist/.
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--json', '--pack-destination', temp.dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore']
    })
  ) as Array<{ filename: string; files: Array<{ path: string }> }>
  tarball = join(temp.dir, packed!.filename)
  files = packed!.files.map((file) => file.path)
})

afterAll(async () => {
  await server.close()
  temp.cleanup()
})

describe('the npm package', () => {
  it('is lean: the CLI, its worker and the gates data; no source maps, sources, tests or the action bundle', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/cli.js',
        'dist/cli-main.js',
        'dist/secrets-worker.js',
        'gates/schema.json',
        'gates/import-rules.yml',
        'gates/secret-rules.yml'
      ])
    )
    expect(
      files.filter((file) => /\.map$|^src\/|^__tests__\/|^bench\/|^dist\/index\.js$/.test(file))
    ).toEqual([])
    // Everything is bundled: installing it fetches nothing.
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>
    expect(manifest.dependencies).toBeUndefined()
  })

  it('installed from the tarball into an empty project, npx release-gates goes from init to a first green run', async () => {
    const project = join(temp.dir, 'app')
    gitRepo(project, {
      'package.json': JSON.stringify({
        name: 'app',
        version: '1.0.0',
        private: true,
        scripts: { test: 'node --test' }
      }),
      'README.md': '# App\n',
      'test/ok.test.mjs': "import test from 'node:test'\ntest('adds', () => {})\n"
    })
    const env = {
      ...process.env,
      npm_config_registry: server.url,
      npm_config_cache: join(temp.dir, 'npm-cache'),
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false'
    }
    await run('npm', ['install', '--offline', '--no-save', tarball], { cwd: project, env })
    // A lockfile, as a real project has, for the audit gate init proposes.
    writeFileSync(
      join(project, 'package-lock.json'),
      JSON.stringify({
        name: 'app',
        version: '1.0.0',
        lockfileVersion: 3,
        requires: true,
        packages: { '': { name: 'app', version: '1.0.0' } }
      })
    )
    git(project, 'add', '.')
    git(project, 'commit', '-q', '-m', 'app')
    const npx = (...args: string[]) =>
      run('npx', ['--no-install', 'release-gates', ...args], { cwd: project, env })
    const version = JSON.parse(readFileSync('package.json', 'utf8')).version as string
    expect((await npx('--version')).stdout).toBe(`${version}\n`)
    const missing = await npx('validate').catch((error: { code: number; stderr: string }) => error)
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('release-gates init')
    })
    const init = await npx('init')
    expect(init.stdout).toContain('Wrote .github/release-gates.yml')
    const gates = readFileSync(join(project, '.github/release-gates.yml'), 'utf8')
    // The editor schema resolves inside the installed package.
    expect(gates).toMatch(
      /\$schema=\.\.\/node_modules\/release-gates\/gates\/schema\.json|release-gates\/gates\/schema\.json/
    )
    git(project, 'add', '.')
    git(project, 'commit', '-q', '-m', 'gates')
    const first = await npx('run', '--no-progress')
    expect(first.stdout).toContain('Result: PASSED')
    expect(first.stdout).toMatch(/✔ pass +unit-tests/)
  }, 120_000)
})
