import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { runBundledAction } from '../helpers/action-run.js'
import { startFakeGitHub } from '../helpers/fake-github.js'
import { gitRepo, tempDir } from '../helpers/fs.js'

const temp = tempDir('rg-secrets-e2e-')
afterAll(temp.cleanup)

// Random, in a real format (a Stripe live key and a database URL); not real credentials.
const PLANTED = 'sk_live_9pQ2wE7rT4yU1iO6pA3sD8fG5hJ0kLzX'
const DB_PASSWORD = 'Vq7#mP2xL9wRt4Kz'

const GATES = `version: 1
gates:
  - id: no-secrets
    name: No hardcoded secrets in code
    check: secrets
    with: { sarif: secrets.sarif }
`

describe('a planted secret appears in no output', () => {
  it('not in the CLI output, the JSON report, the action log, summary, outputs, check runs or SARIF', async () => {
    const workspace = join(temp.dir, 'repo')
    gitRepo(workspace, {
      '.github/release-gates.yml': GATES,
      'src/pay.ts': `export const stripe = '${PLANTED}'\n`,
      'config/db.ts': `export const url = 'postgres://shop:${DB_PASSWORD}@db.internal:5432/shop'\n`
    })
    const outputs: string[] = []
    try {
      execFileSync(
        process.execPath,
        [join(process.cwd(), 'dist/cli.js'), 'run', '--json', 'report.json', '--no-color'],
        {
          cwd: workspace,
          encoding: 'utf8',
          stdio: 'pipe'
        }
      )
    } catch (error) {
      const failed = error as { status: number; stdout: string; stderr: string }
      expect(failed.status).toBe(1)
      outputs.push(failed.stdout, failed.stderr)
    }
    outputs.push(readFileSync(join(workspace, 'report.json'), 'utf8'))
    expect(outputs.join('\n')).toContain('2 secrets found in 2 files')

    const fake = await startFakeGitHub()
    try {
      const run = await runBundledAction({ workspace, apiUrl: fake.url, event: 'push' })
      expect(run.code).toBe(1)
      // core.setSecret hands each value to the runner as `::add-mask::<value>`, a command the
      // runner consumes and never shows: that line must exist, and is the only one allowed.
      expect(run.stdout).toContain(`::add-mask::${PLANTED}\n`)
      const log = run.stdout.replace(/^::add-mask::.*$/gm, '')
      outputs.push(log, run.stderr, run.summary, JSON.stringify(run.outputs))
      outputs.push(readFileSync(run.outputs.report!, 'utf8'))
      outputs.push(...fake.requests.map((request) => JSON.stringify(request.body ?? '')))
      expect(fake.checkRuns.length).toBeGreaterThan(0)
    } finally {
      await fake.close()
    }
    outputs.push(readFileSync(join(workspace, 'secrets.sarif'), 'utf8'))

    const everything = outputs.join('\n')
    expect(everything).toContain('sk_l…kLzX')
    for (const secret of [PLANTED, DB_PASSWORD])
      for (let start = 0; start + 8 <= secret.length; start += 4)
        expect([secret, everything.includes(secret.slice(start, start + 8))]).toEqual([
          secret,
          false
        ])
  }, 120_000)
})
