import { join } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { loadPlan } from '../../src/engine/evaluate.js'
import { importItems, inferStage, renderGatesFile } from '../../src/import/build.js'
import { parseChecklist } from '../../src/import/markdown.js'
import { loadImportRules } from '../../src/import/rules.js'
import { loadWorldChanging } from '../../src/import/world.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-import-world-')
afterAll(temp.cleanup)
const rules = loadImportRules()
const changers = loadWorldChanging()

describe('commands that change the world', () => {
  it('every example of the world-changing list matches its pattern, and no counter-example does', () => {
    expect(changers.length).toBeGreaterThan(4)
    for (const changer of changers) {
      for (const command of changer.examples.match)
        expect([changer.what, command, changer.pattern.test(command)]).toEqual([
          changer.what,
          command,
          true
        ])
      for (const command of changer.examples.noMatch)
        expect([
          command,
          changers.filter((other) => other.pattern.test(command)).map((other) => other.what)
        ]).toEqual([command, []])
    }
  })

  it('an import never wires one: the read-only twin where there is one, else a manual item that says why', () => {
    const gates = importItems(
      parseChecklist(
        [
          '## Database',
          '- [ ] Migrations applied: `npx prisma migrate deploy`',
          '- [ ] Migrations run: `npx knex migrate:latest`',
          '## Build',
          '- [ ] Build Docker images: `docker-compose build --no-cache`',
          '- [ ] Publish the package: `npm publish`',
          '- [ ] Type check passes: `npx tsc --noEmit`'
        ].join('\n')
      ),
      rules
    )
    const shown = gates.map((gate) => [gate.wiring?.check ?? 'manual', gate.wiring?.with.run])
    expect(shown).toEqual([
      ['command', 'npx --no-install prisma migrate status'],
      ['manual', undefined],
      ['command', 'docker compose config --quiet'],
      ['manual', undefined],
      ['typescript', undefined]
    ])
    expect(gates[1]!.note).toBe(
      'kept manual: `npx knex migrate:latest` migrates or seeds a database, which no gate may do; run it yourself, then sign off'
    )
    const file = renderGatesFile(gates, 'RELEASE.md')
    expect(file).toContain(
      '# `npx prisma migrate deploy` migrates or seeds a database: a gate runs its read-only twin instead'
    )
    expect(file).not.toMatch(/^\s+run: .*(?:migrate deploy|--no-cache|npm publish|knex)/m)
  })
})

describe('stages from the document’s structure', () => {
  it('deployment sections are post-deploy; rollback, emergency and incident sections are contingency', () => {
    expect(inferStage(['Deployment'])).toBe('post-deploy')
    expect(inferStage(['Deployment Process', 'Deployment Steps'])).toBe('post-deploy')
    expect(inferStage(['Deployment', 'Pre-Deployment Checks'])).toBe('pre-release')
    expect(inferStage(['Final Week Before Deployment'])).toBe('pre-release')
    expect(inferStage(['Rollback Plan'])).toBe('contingency')
    expect(inferStage(['Deployment Day', 'If Critical Issues Detected'])).toBe('contingency')
    expect(inferStage(['Emergency Procedures'])).toBe('contingency')
    expect(inferStage(['Monitoring (Continuous)'])).toBe('recurring')
    expect(inferStage(['Security'])).toBeUndefined()
  })

  it('a normal run does not evaluate contingency items; --stage contingency does', async () => {
    const gates = importItems(
      parseChecklist(
        [
          '# Release',
          '## Security',
          '- [ ] Security review signed off',
          '## Deployment',
          '- [ ] Health endpoint returns `200 OK`',
          '- [ ] Team notified in the release channel',
          '## Rollback Plan',
          '- [ ] Stop new deployment',
          '- [ ] Revert to previous version'
        ].join('\n')
      ),
      rules
    )
    // Wired to http and switched off until its URL is filled, but in the right stage.
    expect(gates.find((gate) => gate.item.text.startsWith('Health'))?.stage).toBe('post-deploy')
    const dir = join(temp.dir, 'stages')
    writeTree(dir, { '.github/release-gates.yml': renderGatesFile(gates, 'RELEASE.md') })
    const ids = async (stage?: string) =>
      (await loadPlan({ cwd: dir, ...(stage && { stage }) })).gates.map((gate) => gate.id)
    expect(await ids()).toEqual(['security-review-signed-off'])
    expect(await ids('post-deploy')).toEqual([
      'health-endpoint-returns',
      'team-notified-in-the-release-channel'
    ])
    expect(await ids('contingency')).toEqual(['stop-new-deployment', 'revert-to-previous-version'])
  })
})
