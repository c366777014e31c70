import { execFile } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, describe, expect, it } from '@jest/globals'
import { runBundledAction } from './helpers/action-run.js'
import { startFakeGitHub } from './helpers/fake-github.js'
import { gitRepo, tempDir } from './helpers/fs.js'

const temp = tempDir('rg-redaction-e2e-')
afterAll(temp.cleanup)

// Eight distinct secrets, each reaching the outputs by another road. None is a real credential.
const ENV = {
  JWT_SECRET: 'jwt-Env-9f8e7d6c5b4a3z2y', // an env value, printed by a fast command gate
  SESSION_KEY: 'sess-Key-4q7w1e8r5t2y', // another, printed before the env gate naming it ran
  DB_PASSWORD: 'db-Pass-6u3i9o0p2a5s', // in a failing test's message (JUnit)
  API_TOKEN: 'hdr-Tok-8k7j6h5g4f3d' // a request header token, echoed back by the server
}
const URL_PASSWORD = 'url-Pass-5r4e3w2q1x'
const QUERY_TOKEN = 'qry-Tok-1a2b3c4d5e6f'
const FOUND_TOKEN = 'sk_live_7Rk2LmN8pVx4TcWz9Yb3FdQ2' // found by the secrets gate
const PEM = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' }
}).privateKey

/** Every 8-character piece of each secret (a PEM's body lines; a vendor prefix is public). */
function pieces(): Array<[string, string]> {
  const all: Array<[string, string]> = []
  const add = (name: string, text: string) => {
    for (let start = 0; start + 8 <= text.length; start++) {
      const piece = text.slice(start, start + 8)
      if (piece !== 'sk_live_') all.push([name, piece])
    }
  }
  for (const [name, value] of Object.entries(ENV)) add(name, value)
  add('URL password', URL_PASSWORD)
  add('query token', QUERY_TOKEN)
  add('found token', FOUND_TOKEN)
  for (const line of PEM.split('\n').filter((line) => line && !line.startsWith('-----')))
    add('PEM key', line)
  return all
}

describe('eight planted secrets appear in no output, whatever order the gates finish in', () => {
  it('console, JSON report, job summary, check-run bodies and annotations, SARIF: zero hits', async () => {
    const server = createServer((request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' })
      response.end(`auth=${request.headers.authorization} url=${request.url}`)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as AddressInfo).port
    const workspace = join(temp.dir, 'repo')
    gitRepo(workspace, {
      '.github/release-gates.yml': [
        'version: 1',
        'gates:',
        // First and fast: prints what later gates will name or find.
        '  - id: fast',
        '    check: command',
        '    with:',
        '      run: echo "jwt=$JWT_SECRET session=$SESSION_KEY"; cat src/pay.ts keys/deploy.pem; exit 1',
        '  - id: unit-tests',
        '    check: tests',
        '    with:',
        '      run: mkdir -p reports && node --test --test-reporter=junit --test-reporter-destination=reports/junit.xml test/db.test.mjs',
        '      junit: reports/junit.xml',
        '  - id: health',
        '    check: http',
        '    with:',
        `      url: 'http://admin:${URL_PASSWORD}@127.0.0.1:${port}/health?token=${QUERY_TOKEN}'`,
        "      request-headers: { Authorization: 'Bearer ${API_TOKEN}' }",
        '      body-contains: healthy',
        '      timeout: 5s',
        '  - id: secrets',
        '    check: secrets',
        '    with: { sarif: reports/secrets.sarif }',
        '  - id: env',
        '    check: env',
        '    with: { variables: [JWT_SECRET, SESSION_KEY, DB_PASSWORD, { name: API_TOKEN, min-length: 64 }] }',
        ''
      ].join('\n'),
      'src/pay.ts': `export const stripe = '${FOUND_TOKEN}'\n`,
      'keys/deploy.pem': PEM,
      'test/db.test.mjs': [
        "import test from 'node:test'",
        "import assert from 'node:assert/strict'",
        "test('the database password is the production one', () => {",
        "  assert.equal(process.env.DB_PASSWORD, 'the-production-one')",
        '})',
        ''
      ].join('\n')
    })
    const env = { PATH: process.env.PATH, HOME: process.env.HOME, ...ENV }
    const outputs: string[] = []
    try {
      // Asynchronously: the local server answers from this process's event loop.
      const cli = await promisify(execFile)(
        process.execPath,
        [
          join(process.cwd(), 'dist/cli.js'),
          'run',
          '--json',
          'cli-report.json',
          '--concurrency',
          '1'
        ],
        { cwd: workspace, encoding: 'utf8', env }
      ).then(
        () => ({ code: 0, stdout: '', stderr: '' }),
        (error: { code: number; stdout: string; stderr: string }) => error
      )
      expect(cli.code).toBe(1)
      outputs.push(cli.stdout, cli.stderr)
      const cliReport = readFileSync(join(workspace, 'cli-report.json'), 'utf8')
      outputs.push(cliReport)
      const byId = Object.fromEntries(
        (
          JSON.parse(cliReport) as { gates: Array<{ id: string; title: string; summary: string }> }
        ).gates.map((gate) => [gate.id, gate])
      )
      // Every road was taken: each gate's output did carry its secret, now masked.
      expect(byId.fast!.summary).toContain('jwt=*** session=***')
      expect(byId.health!.title).toContain(`http://admin:***@127.0.0.1:${port}/health?token=***`)
      expect(byId.health!.summary).toContain('auth=Bearer ***')
      expect(byId['unit-tests']!.summary).toContain('***')
      // The token, the key, and the URL password written in the gates file itself.
      expect(byId.secrets!.title).toBe('3 secrets found in 3 files')

      const fake = await startFakeGitHub()
      try {
        const run = await runBundledAction({
          workspace,
          apiUrl: fake.url,
          event: 'push',
          inputs: { concurrency: '1' },
          env: ENV
        })
        expect(run.code).toBe(1)
        // Multi-line values are masked line by line: the runner ignores a multi-line add-mask.
        const masks = run.stdout.match(/^::add-mask::.*$/gm) ?? []
        expect(masks.every((line) => !line.slice('::add-mask::'.length).includes('\n'))).toBe(true)
        expect(masks).toContain(`::add-mask::${PEM.split('\n')[1]}`)
        outputs.push(run.stdout.replace(/^::add-mask::.*$/gm, ''), run.stderr, run.summary)
        outputs.push(JSON.stringify(run.outputs), readFileSync(run.outputs.report!, 'utf8'))
        outputs.push(...fake.requests.map((request) => JSON.stringify(request.body ?? '')))
        expect(fake.checkRuns.length).toBe(6)
        expect(fake.checkRuns.flatMap((checkRun) => checkRun.annotations).length).toBeGreaterThan(0)
        expect(fake.problems).toEqual([])
      } finally {
        await fake.close()
      }
      outputs.push(readFileSync(join(workspace, 'reports/secrets.sarif'), 'utf8'))
    } finally {
      server.close()
    }

    const everything = outputs.join('\n')
    const hits = pieces().filter(([, piece]) => everything.includes(piece))
    expect(hits).toEqual([])
  }, 120_000)
})
