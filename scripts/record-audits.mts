// Records real `npm audit --json` and `pnpm audit --json` output against the tests' local advisory
// server, for the parsers' unit tests: findings, production only, and the endpoint failing (500,
// dropped connection). Usage: npx tsx scripts/record-audits.mts
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAdvisoryServer } from '../__tests__/helpers/advisory-server.js'

const projects = {
  npm: mkdtempSync(join(tmpdir(), 'rg-audit-')),
  pnpm: mkdtempSync(join(tmpdir(), 'rg-audit-pnpm-'))
}
cpSync('__tests__/fixtures/audit-project', projects.npm, { recursive: true })
cpSync('__tests__/fixtures/audit-project-pnpm', projects.pnpm, { recursive: true })
const binaries = { npm: 'npm', pnpm: join(process.cwd(), 'node_modules/.bin/pnpm') }

const server = await startAdvisoryServer()
const run = async (tool: 'npm' | 'pnpm', name: string, args: string[]) => {
  const project = projects[tool]
  const child = spawn(binaries[tool], ['audit', '--json', '--registry', server.url, ...args], {
    cwd: project,
    env: {
      ...process.env,
      npm_config_cache: join(project, '.npm-cache'),
      npm_config_fetch_retries: '0'
    }
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (c) => (stdout += c))
  child.stderr.on('data', (c) => (stderr += c))
  const status = await new Promise((r) => child.on('close', r))
  const result = { stdout, stderr, status }
  writeFileSync(
    `__tests__/fixtures/tools/${tool}-audit-${name}.json`,
    result.stdout.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
  )
  console.log(
    tool,
    name,
    'exit',
    result.status,
    'stdout bytes',
    result.stdout.length,
    'stderr:',
    result.stderr
      .split('\n')
      .filter((l) => !l.includes('nodedir'))
      .join(' | ')
      .slice(0, 300)
  )
}
await run('npm', 'findings', [])
await run('pnpm', 'findings', [])
await run('npm', 'omit-dev', ['--omit=dev'])
await run('pnpm', 'prod', ['--prod'])
server.mode = { kind: 'status', status: 500 }
await run('npm', 'error-500', [])
await run('pnpm', 'error-500', [])
server.mode = { kind: 'drop' }
await run('npm', 'error-drop', [])
await run('pnpm', 'error-drop', [])
console.log(server.requests.map((r) => `${r.method} ${r.url}`).join('\n'))
await server.close()
