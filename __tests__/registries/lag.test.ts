import { describe, expect, it } from '@jest/globals'
import { lagOf, latestOf } from '../../src/registries/lag.js'
import type { Releases } from '../../src/registries/releases.js'

const at = (day: string) => new Date(`${day}T00:00:00Z`)
const NOW = at('2026-12-01')

// As npm's registry described @babel/preset-env and @types/bcryptjs late in 2026 (versions trimmed).
const babel: Releases = {
  latest: '8.0.7',
  versions: [
    { version: '7.28.6', published: at('2026-01-10'), node: '>=6.9.0' },
    { version: '7.29.0', published: at('2026-02-05'), node: '>=6.9.0' },
    { version: '7.29.14', published: at('2026-09-01'), node: '>=6.9.0' },
    { version: '8.0.0-rc.1', published: at('2026-06-01'), node: '^22.18.0 || >=24.11.0' },
    { version: '8.0.7', published: at('2026-10-07'), node: '^22.18.0 || >=24.11.0' }
  ]
}
const stub: Releases = {
  latest: '3.0.0',
  versions: [
    { version: '2.4.6', published: at('2023-11-07') },
    { version: '3.0.0', published: at('2025-02-20'), withdrawn: true }
  ]
}

describe('the latest release to move to, as npm outdated picks it', () => {
  it("the registry's latest when it runs on the project's node", () => {
    expect(latestOf('npm', babel, '24.11.1')).toEqual({ version: '8.0.7' })
    expect(latestOf('npm', babel, '>=22.18.0')).toEqual({ version: '8.0.7' })
  })

  it('below it when it needs a newer node, or is a deprecated stub', () => {
    expect(latestOf('npm', babel, '20.20.2')).toEqual({
      version: '7.29.14',
      tagged: { version: '8.0.7', why: 'needs node ^22.18.0 || >=24.11.0' }
    })
    expect(latestOf('npm', stub)).toEqual({
      version: '2.4.6',
      tagged: { version: '3.0.0', why: 'deprecated' }
    })
  })

  it('majors and days behind count from there; pre-releases are never newer', () => {
    expect(lagOf('npm', '7.28.6', babel, NOW, '20.20.2')).toMatchObject({
      latest: '7.29.14',
      majorsBehind: 0,
      daysBehind: 299
    })
    expect(lagOf('npm', '7.28.6', babel, NOW, '24.11.1')).toMatchObject({
      latest: '8.0.7',
      majorsBehind: 1,
      daysBehind: 299
    })
    expect(lagOf('npm', '2.4.6', stub, NOW)).toMatchObject({ majorsBehind: 0, daysBehind: 0 })
  })
})
