import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/errors.js'
import type { Plan } from '../../src/config/model.js'
import { listPresets } from '../../src/config/load.js'
import { loadPlan, validateAll } from '../../src/engine/evaluate.js'

const GOOD = fileURLToPath(new URL('../fixtures/good/', import.meta.url))

const plan = (
  config: string,
  environment?: string,
  stage?: string,
  only?: string[]
): Promise<Plan> =>
  loadPlan({
    cwd: GOOD,
    config,
    ...(environment && { environment }),
    ...(stage && { stage }),
    ...(only && { only })
  })

const gate = (resolved: Plan, id: string) => {
  const found = resolved.gates.find((item) => item.id === id)
  if (!found) throw new Error(`no gate ${id} in the plan`)
  return found
}

describe('resolving good gates files', () => {
  it('a gate redefined by id in an extending file keeps its check; its keys win and with merges', async () => {
    const lint = gate(await plan('redefines.yml'), 'lint')
    expect(lint).toMatchObject({
      check: 'command',
      required: false,
      with: { run: 'npx eslint .', 'tail-lines': 20 }
    })
  })

  it('production, pre-release: file defaults, gate values, stage and environment filters', async () => {
    const resolved = await plan('full.yml')
    expect(resolved.environment).toBe('production') // defaults.environment
    expect(resolved.stage).toBe('pre-release')
    expect(resolved.gates.map((item) => item.id)).toEqual([
      'unit-tests',
      'coverage',
      'qa-signoff',
      'prod-only'
    ])
    expect(gate(resolved, 'coverage')).toMatchObject({
      required: true,
      timeoutMs: 120_000,
      enabled: true,
      section: 'Pre-Deployment Phase / Code Quality',
      with: { run: ['node', 'scripts/coverage.js'], env: { LINES: 80 } }
    })
    expect(gate(resolved, 'qa-signoff').waivers).toEqual([
      expect.objectContaining({
        owner: '@release-manager',
        expires: '2031-01-01',
        location: 'full.yml:47:9'
      })
    ])
    expect(gate(resolved, 'prod-only').name).toBe('prod-only')
    expect(gate(resolved, 'unit-tests').location).toBe('full.yml:22:5')
  })

  it('staging extends production: environment defaults make gates advisory, a gate can opt out, with merges', async () => {
    const resolved = await plan('full.yml', 'staging', 'all')
    expect(resolved.gates.map((item) => item.id)).toEqual([
      'unit-tests',
      'coverage',
      'smoke',
      'qa-signoff',
      'nightly-audit'
    ])
    expect(gate(resolved, 'unit-tests').required).toBe(true) // the gate says so explicitly
    expect(gate(resolved, 'coverage')).toMatchObject({
      required: false,
      with: { run: ['node', 'scripts/coverage.js'], env: { LINES: 60 }, 'success-codes': [0] }
    })
    expect(gate(resolved, 'smoke')).toMatchObject({
      enabled: false,
      disabledReason: expect.stringMatching(/^switched off for staging \(full.yml:16:7\)$/)
    })
  })

  it('preview extends staging extends production: the most specific override wins', async () => {
    const resolved = await plan('full.yml', 'preview', 'all')
    expect(gate(resolved, 'coverage')).toMatchObject({
      required: true,
      timeoutMs: 30_000,
      with: expect.objectContaining({ env: { LINES: 60 } })
    })
    expect(gate(resolved, 'smoke').enabled).toBe(false) // inherited from staging
    expect(gate(resolved, 'qa-signoff').required).toBe(false) // staging's defaults
  })

  it('selects gates by stage, including a declared custom stage', async () => {
    expect(
      (await plan('full.yml', 'production', 'post-deploy')).gates.map((item) => item.id)
    ).toEqual(['smoke', 'qa-signoff'])
    const smoke = gate(await plan('full.yml', 'production', 'post-deploy'), 'smoke')
    expect(smoke.timeoutMs).toBe(45_000)
    expect((await plan('full.yml', 'production', 'nightly')).gates.map((item) => item.id)).toEqual([
      'nightly-audit'
    ])
    // A stage with nothing to evaluate is a configuration error, not a pass.
    await expect(plan('full.yml', 'production', 'recurring')).rejects.toThrow(
      'no gates to evaluate in production/recurring'
    )
  })

  it('--only narrows the plan, and names an unknown id with a suggestion', async () => {
    expect(
      (await plan('full.yml', 'production', 'all', ['smoke'])).gates.map((item) => item.id)
    ).toEqual(['smoke'])
    await expect(plan('full.yml', 'production', 'all', ['smok'])).rejects.toThrow(
      "--only names no gate 'smok' (did you mean 'smoke'?)"
    )
  })

  it('an unknown environment or stage on the command line is a ConfigError with a suggestion', async () => {
    await expect(plan('full.yml', 'prodution')).rejects.toThrow(
      /unknown environment 'prodution' \(did you mean 'production'\?\)/
    )
    await expect(plan('full.yml', 'production', 'post-deply')).rejects.toThrow(
      /unknown stage 'post-deply' \(did you mean 'post-deploy'\?\)/
    )
    await expect(plan('full.yml', 'production', 'post-deply')).rejects.toBeInstanceOf(ConfigError)
  })

  it('a local file extends another: its gates come first, redefined ids merge, defaults carry over', async () => {
    const resolved = await plan('extends-local.yml')
    expect(resolved.gates.map((item) => item.id)).toEqual(['lint', 'readme', 'changelog'])
    expect(gate(resolved, 'lint')).toMatchObject({
      name: 'ESLint passes without warnings',
      with: { run: 'npx eslint --max-warnings 0 .', 'tail-lines': 10 },
      timeoutMs: 90_000,
      location: 'extends-local.yml:4:5'
    })
    expect(gate(resolved, 'readme').location).toBe('base/shared.yml:9:5')
  })

  it('a preset by name: its gates, overridden per environment and by id', async () => {
    expect(listPresets()).toContain('node')
    const production = await plan('extends-preset.yml', 'staging')
    expect(gate(production, 'typecheck')).toMatchObject({
      check: 'typescript',
      with: { projects: 'tsconfig.build.json' }
    })
    expect(gate(production, 'unit-tests').required).toBe(false)
    expect(gate(production, 'lockfile-committed').enabled).toBe(false)
    expect(gate(production, 'no-debug-statements').required).toBe(false)
  })

  it('validates every environment of every good file', async () => {
    for (const config of ['full.yml', 'extends-local.yml', 'extends-preset.yml']) {
      const { plans } = await validateAll({ cwd: GOOD, config })
      expect(plans.length).toBeGreaterThan(0)
    }
  })

  it('an environment is required when the file declares some and sets no default', async () => {
    await expect(plan('extends-preset.yml')).rejects.toThrow(
      /choose an environment: one of staging/
    )
  })
})
