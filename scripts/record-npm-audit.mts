// Records real `npm audit --json` output against the tests' local advisory server, for the
// parser's unit tests: findings, --omit=dev, and the endpoint failing (500, dropped connection).
// Usage: npx tsx scripts/record-npm-audit.mts
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAdvisoryServer } from '../__tests__/helpers/advisory-server.js'

const project = mkdtempSync(join(tmpdir(), 'rg-audit-'))
cpSync('__tests__/fixtures/audit-project', project, { recursive: true })

const server = await startAdvisoryServer()
const run = async (name: string, args: string[]) => {
  const child = spawn('npm', ['audit', '--json', '--registry', server.url, ...args], {
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
    `__tests__/fixtures/tools/npm-audit-${name}.json`,
    result.stdout.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
  )
  console.log(
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
await run('findings', [])
await run('omit-dev', ['--omit=dev'])
server.mode = { kind: 'status', status: 500 }
await run('error-500', [])
server.mode = { kind: 'drop' }
await run('error-drop', [])
console.log(server.requests.map((r) => `${r.method} ${r.url}`).join('\n'))
await server.close()
