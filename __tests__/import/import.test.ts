import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { main } from '../../src/cli/main.js'
import { loadPlan, validateAll } from '../../src/engine/evaluate.js'
import {
  gateEntry,
  importItems,
  inferStage,
  renderGatesFile,
  slugOf
} from '../../src/import/build.js'
import { placeholderGates, renderChecklist } from '../../src/import/checklist.js'
import { parseChecklist } from '../../src/import/markdown.js'
import { loadImportRules } from '../../src/import/rules.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-import-')
afterAll(temp.cleanup)
const rules = loadImportRules()
const CHECKLISTS = new URL('../fixtures/checklists/', import.meta.url)
const checklist = (name: string) => readFileSync(new URL(`${name}.md`, CHECKLISTS), 'utf8')

/** Task lines counted the plain way: list items with a box, table rows with a box cell. */
function taskLines(markdown: string): string[] {
  let fenced = false
  const found: string[] = []
  for (const line of markdown.split('\n')) {
    if (/^\s*```/.test(line)) fenced = !fenced
    if (fenced) continue
    const item = /^\s*[-*+] \[[ xX]\] (.*)$/.exec(line)
    if (item) found.push(item[1]!)
    else if (/^\|.*\|\s*\[[ xX]?\]\s*\|\s*$/.test(line)) found.push(line)
  }
  return found
}

interface GateShape {
  id: string
  name: string
  section?: string
  stage: string
  check: string
  enabled?: boolean
  with?: Record<string, unknown>
}

function importToFile(name: string, markdown: string): { path: string; gates: GateShape[] } {
  const dir = join(temp.dir, name)
  const gates = importItems(parseChecklist(markdown), rules)
  writeTree(dir, {
    '.github/release-gates.yml': renderGatesFile(gates, `${name}.md`),
    'package.json': '{ "name": "shop", "version": "1.0.0" }\n'
  })
  const path = join(dir, '.github/release-gates.yml')
  return { path, gates: (parse(readFileSync(path, 'utf8')) as { gates: GateShape[] }).gates }
}

describe('markdown checklists', () => {
  it('reads nested items, code spans, links, emphasis, ticked boxes, tables and emoji headings', () => {
    const items = parseChecklist(
      [
        '# Launch',
        '',
        '## 🚀 Deployment Day',
        '',
        '- [ ] Run `npm audit` on **every** [package](https://docs.npmjs.com)',
        '  - [x] Nested: _staging_ first',
        '* [X] Star bullet, ticked',
        '- Not a task',
        '',
        '### Smoke ✅',
        '',
        '| Time | Task | Owner | Status |',
        '|---|---|---|---|',
        '| T-1h | Database backup | DevOps | [ ] |',
        '| T+1h | Monitoring review | DevOps | [x] |',
        '',
        '```bash',
        '- [ ] inside a code block',
        '```'
      ].join('\n')
    )
    expect(
      items.map(({ text, checked, headings, line }) => [text, checked, headings, line])
    ).toEqual([
      ['Run `npm audit` on every package', false, ['🚀 Deployment Day'], 5],
      ['Nested: staging first', true, ['🚀 Deployment Day'], 6],
      ['Star bullet, ticked', true, ['🚀 Deployment Day'], 7],
      ['Database backup', false, ['🚀 Deployment Day', 'Smoke ✅'], 14],
      ['Monitoring review', true, ['🚀 Deployment Day', 'Smoke ✅'], 15]
    ])
  })

  it('infers stages from the innermost heading that names one', () => {
    expect(inferStage(['Pre-Deployment Phase (1-2 weeks before)', 'Code Readiness'])).toBe(
      'pre-release'
    )
    expect(inferStage(['Deployment (Day 1)', 'Pre-Deployment Checks'])).toBe('pre-release')
    expect(
      inferStage(['Deployment Day', 'Post-Deployment Verification (T+0 to T+30 minutes)'])
    ).toBe('post-deploy')
    expect(inferStage(['🚀 Ongoing Maintenance', 'Weekly Tasks'])).toBe('recurring')
    expect(inferStage(['Security Checklist'])).toBeUndefined()
  })

  it('makes stable, unique slugs', () => {
    expect(slugOf('Git tag created: `v1.0.0`')).toBe('git-tag-created')
    expect(slugOf('100% uptime')).toBe('item-100-uptime')
    const gates = importItems(
      parseChecklist('- [ ] Review error logs\n- [ ] Review error logs\n'),
      rules
    )
    expect(gates.map((gate) => gate.id)).toEqual(['review-error-logs', 'review-error-logs-2'])
  })
})

describe.each([
  [
    'vivr-ecommerce',
    [
      ['All features for release merged to `main` branch', 'git', { branch: 'main' }],
      [
        'Code review completed by 2+ team members',
        'manual',
        { signoff: { approvals: { permission: 'write', count: 2 } } }
      ],
      ['TypeScript strict mode passes: `npx tsc --noEmit`', 'typescript', undefined],
      ['ESLint passes without warnings: `npm run lint`', 'eslint', { 'max-warnings': 0 }],
      ['No critical security vulnerabilities: `npm audit`', 'npm-audit', { 'fail-on': 'critical' }],
      [
        'Code coverage maintained at >80%',
        'coverage',
        { report: 'coverage/coverage-summary.json', thresholds: { lines: 80 } }
      ],
      ['No hardcoded secrets in code', 'secrets', undefined],
      [
        'SSL certificate valid until [date - minimum 6 months]',
        'tls',
        { 'min-days': 180, host: 'FILL-ME.invalid' }
      ],
      ['Git tag created: `v1.0.0`', 'git', { tag: 'v${version}' }],
      ['Unit tests passing: `npm run test` (100%)', 'tests', { run: 'npm run test' }],
      [
        'Security headers configured (CSP, HSTS, X-Frame-Options)',
        'http',
        { 'security-headers': true, url: 'https://FILL-ME.invalid/' }
      ],
      [
        'Response time remains < 500ms (p95)',
        'http',
        { latency: { requests: 20, p95: '500ms' }, url: 'https://FILL-ME.invalid/' }
      ]
    ]
  ],
  [
    'bazaarhub',
    [
      [
        'Generate strong JWT_SECRET (min 32 characters)',
        'env',
        { variables: [{ name: 'JWT_SECRET', 'min-length': 32 }] }
      ],
      ['Set HTTPS_ONLY=true', 'env', { variables: [{ name: 'HTTPS_ONLY', equals: 'true' }] }],
      ['Run security scanning: `npm audit`', 'npm-audit', undefined],
      [
        'Build Docker images: `docker-compose build --no-cache`',
        'command',
        // Building images changes the world: its read-only twin checks the compose file.
        { run: 'docker compose config --quiet' }
      ],
      ['Health checks passing', 'http', { url: 'https://FILL-ME.invalid/health' }],
      ['All CI/CD pipelines green', 'github', { 'checks-green': 'all', 'wait-for-checks': '5m' }],
      ['Review audit logs', 'manual', { signoff: { comment: { permission: 'write' } } }]
    ]
  ],
  [
    'tribal-art-marketplace',
    [
      ['TypeScript compilation without errors', 'typescript', undefined],
      ['Code linting and formatting consistency', 'eslint', undefined],
      ['CORS policy configuration', 'http', { cors: true, url: 'https://FILL-ME.invalid/api/' }],
      ['SSL certificate procurement', 'manual', { signoff: { comment: { permission: 'write' } } }]
    ]
  ]
] as const)('import of %s.md', (name, wired) => {
  const markdown = checklist(name)
  const { path, gates } = importToFile(name, markdown)

  it('makes exactly one gate per task item, in order, named by the item', () => {
    const lines = taskLines(markdown)
    expect(gates).toHaveLength(lines.length)
    expect(new Set(gates.map((gate) => gate.id)).size).toBe(gates.length)
    gates.forEach((gate, index) => {
      if (!lines[index]!.startsWith('|'))
        expect(lines[index]).toContain(gate.name.replace(/`/g, '').slice(0, 12))
    })
  })

  it('validates against the schema', async () => {
    const { plans } = await validateAll({
      cwd: join(path, '../..'),
      config: '.github/release-gates.yml'
    })
    expect(plans[0]!.gates).toHaveLength(gates.length)
  })

  it.each(wired.map((entry) => [entry[0], entry[1], entry[2]] as const))(
    'wires %s to %s',
    (item, kind, options) => {
      const gate = gates.find((candidate) => candidate.name === item)
      expect(gate && { check: gate.check, with: gate.with }).toEqual({ check: kind, with: options })
      // A gate with a placeholder stays off until someone fills it.
      expect(gate!.enabled).toBe(
        JSON.stringify(options ?? {}).includes('FILL-ME') ? false : undefined
      )
    }
  )

  it('import → checklist → import gives the same gates', async () => {
    const plan = await loadPlan({
      cwd: join(path, '../..'),
      config: '.github/release-gates.yml',
      stage: 'all'
    })
    const again = importItems(parseChecklist(renderChecklist(plan)), rules)
    const reimported = new Map(again.map((gate) => [gate.id, gateEntry(gate)]))
    expect(reimported.size).toBe(gates.length)
    for (const gate of gates) expect(reimported.get(gate.id)).toEqual(gate)
  })
})

describe('a checklist the rules were not written for', () => {
  it('wires what its words say, in other phrasings', () => {
    const gates = importItems(
      parseChecklist(
        [
          '# SaaS launch',
          '## Before launch',
          '- [ ] Run `yarn audit` and fix every high severity finding',
          '- [ ] Type-check passes on CI',
          '- [ ] Make sure `.env.local` is git-ignored',
          '- [ ] Linting passes with zero warnings',
          '- [ ] Lighthouse score above 90',
          '- [ ] Release tagged in git',
          '## Launch day',
          '- [ ] TLS certificate expires in more than 30 days',
          '- [ ] API p95 latency < 300 ms',
          '- [ ] Health check returns 200',
          '## Weekly',
          '- [ ] Review error dashboards'
        ].join('\n')
      ),
      rules
    )
    expect(
      gates.map((gate) => [
        gate.item.text,
        gate.stage,
        gate.wiring?.check ?? 'manual',
        gate.wiring?.with
      ])
    ).toEqual([
      [
        'Run `yarn audit` and fix every high severity finding',
        'pre-release',
        'npm-audit',
        { 'fail-on': 'high' }
      ],
      ['Type-check passes on CI', 'pre-release', 'typescript', {}],
      [
        'Make sure `.env.local` is git-ignored',
        'pre-release',
        'files',
        { 'must-be-ignored': ['.env.local'] }
      ],
      ['Linting passes with zero warnings', 'pre-release', 'eslint', { 'max-warnings': 0 }],
      ['Lighthouse score above 90', 'pre-release', 'manual', undefined],
      ['Release tagged in git', 'pre-release', 'git', { tag: 'v${version}' }],
      [
        'TLS certificate expires in more than 30 days',
        'post-deploy',
        'tls',
        { 'min-days': 30, host: 'FILL-ME.invalid' }
      ],
      [
        'API p95 latency < 300 ms',
        'post-deploy',
        'http',
        { latency: { requests: 20, p95: '300ms' }, url: 'https://FILL-ME.invalid/' }
      ],
      [
        'Health check returns 200',
        'post-deploy',
        'http',
        { status: 200, url: 'https://FILL-ME.invalid/health' }
      ],
      ['Review error dashboards', 'recurring', 'manual', undefined]
    ])
  })
})

describe('the CLI', () => {
  it('import writes the gates file and reports; validate lists the FILL-ME gates; checklist ticks from a report', async () => {
    const dir = join(temp.dir, 'cli')
    writeTree(dir, {
      'CHECKLIST.md': [
        '# Release',
        '## Pre-deployment',
        '- [ ] Build passes: `node -e "process.exit(0)"`',
        '- [ ] Smoke script passes: `node -e "process.exit(1)"`',
        '- [ ] QA Lead — all QA requirements met',
        '## Post-deployment verification',
        '- [ ] Health endpoint returns `200 OK`'
      ].join('\n')
    })
    let stdout = ''
    let stderr = ''
    const io = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { PATH: process.env.PATH },
      cwd: dir
    }
    expect(await main(['import', 'CHECKLIST.md'], io)).toBe(0)
    expect(stdout).toBe(
      [
        'Imported 4 items into .github/release-gates.yml: 3 automated (75 %), 1 manual.',
        '1 automated gates are disabled until their FILL-ME parameters are filled (release-gates validate lists them).',
        'Gates per kind:',
        '  command      2',
        '  http         1',
        '  manual       1',
        'Gates per stage:',
        '  pre-release  3',
        '  post-deploy  1',
        ''
      ].join('\n')
    )
    const written = readFileSync(join(dir, '.github/release-gates.yml'), 'utf8')
    expect(written).toContain('# command: chosen by "`node -e "process.exit(0)"`" (rule command)')
    expect(written).toContain('# fill url, then remove enabled: false')
    stdout = ''
    expect(await main(['validate'], io)).toBe(0)
    expect(stderr).toContain(
      'warning: 1 gate still holds FILL-ME parameters (keep them disabled until filled):\n  health-endpoint-returns: with.url'
    )
    expect(await main(['run', '--no-progress', '--json', 'report.json'], io)).toBe(1)
    stdout = ''
    expect(await main(['checklist', '--from', 'report.json'], io)).toBe(0)
    expect(stdout).toBe(
      [
        '# Release checklist',
        '',
        'Ticked from the latest results of `.github/release-gates.yml`: ✅ met, ❌ unmet, ⏳ waiting for a sign-off, ⏸️ not evaluated (switched off, or not in the report). Only a met item is ticked.',
        '',
        '## Pre-deployment',
        '',
        '- [x] ✅ Build passes: `node -e "process.exit(0)"`',
        '- [ ] ❌ Smoke script passes: `node -e "process.exit(1)"`',
        '  - `node -e "process.exit(1)"` exited with 1',
        '- [ ] ⏳ QA Lead — all QA requirements met',
        '  - Needs sign-off: QA Lead — all QA requirements met',
        '',
        '## Post-deployment verification',
        '',
        '- [ ] ⏸️ Health endpoint returns `200 OK`',
        '  - not evaluated: the report has no result for this gate',
        ''
      ].join('\n')
    )
    // A gate switched off (its FILL-ME not filled) is met for the run, but never ticked.
    const { renderChecklist } = await import('../../src/import/checklist.js')
    const { loadPlan } = await import('../../src/engine/evaluate.js')
    const plan = await loadPlan({ cwd: dir, stage: 'all' })
    const rendered = renderChecklist(
      plan,
      new Map([
        [
          'health-endpoint-returns',
          { met: true, conclusion: 'skipped', title: 'switched off (enabled: false at x:1:1)' }
        ]
      ])
    )
    expect(rendered).toContain(
      '- [ ] ⏸️ Health endpoint returns `200 OK`\n  - not evaluated: switched off (enabled: false at x:1:1)'
    )
    // And it reads back as the same items.
    const { parseChecklist } = await import('../../src/import/markdown.js')
    expect(parseChecklist(rendered).map((item) => item.text)).toEqual(
      plan.gates.map((gate) => gate.name)
    )
    writeFileSync(join(dir, 'empty.md'), '# Nothing\n')
    stderr = ''
    expect(await main(['import', 'empty.md'], io)).toBe(2)
    expect(stderr).toContain('empty.md has no task items')
  })
})

describe.each(['bazaarhub', 'tribal-art-marketplace', 'vivr-ecommerce'])(
  'examples/%s.yml',
  (name) => {
    const config = `examples/${name}.yml`
    const root = new URL('../../', import.meta.url).pathname

    it('validates, holds no FILL-ME, and has a gate for every item of its checklist', async () => {
      const { config: loaded } = await validateAll({ cwd: root, config })
      expect(loaded.gates).toHaveLength(taskLines(checklist(name)).length)
      expect(placeholderGates(loaded.gates.map((gate) => gate.def))).toEqual([])
      expect(loaded.gates.some((gate) => gate.def.enabled === false)).toBe(false)
    })

    it('runs: its http gates against a deployed app at APP_URL', async () => {
      const server = createServer((request, response) => {
        response.writeHead(200, {
          'content-type': 'application/json',
          'strict-transport-security': 'max-age=31536000; includeSubDomains',
          'content-security-policy': "default-src 'self'",
          'x-frame-options': 'DENY',
          'x-content-type-options': 'nosniff',
          'referrer-policy': 'no-referrer'
        })
        response.end('{"status":"ok"}')
      })
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      try {
        const plan = await loadPlan({ cwd: root, config, stage: 'all' })
        const http = plan.gates.filter(
          (gate) => gate.check === 'http' && !gate.with['https-redirect']
        )
        expect(http.length).toBeGreaterThan(0)
        let stdout = ''
        const code = await main(
          [
            'run',
            '--config',
            config,
            '--stage',
            'all',
            '--only',
            http.map((gate) => gate.id).join(','),
            '--no-progress',
            '--no-color'
          ],
          {
            stdout: { write: (text: string) => (stdout += text) },
            stderr: { write: () => undefined },
            env: {
              PATH: process.env.PATH,
              APP_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`
            },
            cwd: root
          }
        )
        expect(stdout).toContain(`${http.length} gates:`)
        // Security headers and health pass; CORS passes (no grant); latency is fast here.
        expect(code).toBe(0)
      } finally {
        server.closeAllConnections()
        await new Promise((resolve) => server.close(resolve))
      }
    })
  }
)
