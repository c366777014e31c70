import { afterAll, describe, expect, it } from '@jest/globals'
import { main } from '../../src/cli/main.js'
import { needsCycles } from '../../src/config/load.js'
import { MAX_GATES_FILE_BYTES } from '../../src/config/source.js'
import { validateAll } from '../../src/engine/evaluate.js'
import { tempDir, writeTree } from '../helpers/fs.js'

const temp = tempDir('rg-large-')
afterAll(temp.cleanup)

function gatesFile(count: number, needsPrevious = false): string {
  const gates = Array.from({ length: count }, (_, index) =>
    [
      `  - id: gate-${index}`,
      '    check: command',
      ...(needsPrevious && index > 0 ? [`    needs: [gate-${index - 1}]`] : []),
      `    with: { run: echo ${index} }`
    ].join('\n')
  )
  return `version: 1\ngates:\n${gates.join('\n')}\n`
}

function io() {
  const out = { stdout: '', stderr: '' }
  return {
    out,
    io: {
      stdout: { write: (text: string) => (out.stdout += text) },
      stderr: { write: (text: string) => (out.stderr += text) },
      env: { PATH: process.env.PATH },
      cwd: temp.dir
    }
  }
}

describe('large gates files', () => {
  it('8,000 gates, each needing the one before, validate: no step is quadratic', async () => {
    // Before: a cycle search from every gate, each building the needs map again (22 s here).
    writeTree(temp.dir, { 'big.yml': gatesFile(8000, true) })
    const { config, plans } = await validateAll({ cwd: temp.dir, config: 'big.yml' })
    expect(config.gates).toHaveLength(8000)
    expect(plans[0]!.gates.at(-1)!.needs).toEqual(['gate-7998'])
  }, 20_000)

  it('finds every gate on a needs cycle, with a shortest way back, in one linear pass', () => {
    const needs = new Map<string, string[]>()
    for (let index = 0; index < 100_000; index++)
      needs.set(`g${index}`, index ? [`g${index - 1}`] : [])
    needs.set('a', ['b'])
    needs.set('b', ['c', 'g5'])
    needs.set('c', ['a'])
    needs.set('self', ['self'])
    const cycles = needsCycles(needs)
    expect([...cycles.keys()].sort()).toEqual(['a', 'b', 'c', 'self'])
    expect(cycles.get('a')).toEqual(['a', 'b', 'c', 'a'])
    expect(cycles.get('c')).toEqual(['c', 'a', 'b', 'c'])
    expect(cycles.get('self')).toEqual(['self', 'self'])
  })

  it('a file over the size limit is refused before it is parsed, with exit 2 and what to do', async () => {
    const line = '# padding to make the file large, as a generated file might be\n'
    const padding = line.repeat(Math.ceil((MAX_GATES_FILE_BYTES + 1) / line.length))
    writeTree(temp.dir, { 'huge.yml': `${gatesFile(1)}${padding}` })
    const { out, io: cli } = io()
    expect(await main(['validate', '-c', 'huge.yml'], cli)).toBe(2)
    expect(out.stderr).toContain(
      "huge.yml: the gates file is 1.0 MiB; at most 1 MiB is accepted (split it into files joined with 'extends')"
    )
  })
})

describe('the command line, on configurations that used to crash', () => {
  it('--env on a file that declares no environments is exit 2 with a reason, not an internal error', async () => {
    writeTree(temp.dir, { 'plain.yml': gatesFile(1) })
    const { out, io: cli } = io()
    expect(await main(['run', '-c', 'plain.yml', '--env', 'nope', '--no-progress'], cli)).toBe(2)
    expect(out.stderr).toContain(
      "plain.yml: unknown environment 'nope': this file declares no environments"
    )
    expect(out.stderr).not.toContain('internal error')
  })

  it('an undefined alias and an alias bomb are exit 2 at their line, not internal errors', async () => {
    writeTree(temp.dir, {
      'alias.yml': 'version: 1\ngates:\n  - id: a\n    check: *nope\n',
      'bomb.yml':
        'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n'
    })
    for (const [file, message] of [
      ['alias.yml', "alias.yml:4:12: YAML alias '*nope' names no anchor"],
      ['bomb.yml', 'bomb.yml:2:8: YAML aliases expand to more than 100 nodes']
    ] as const) {
      const { out, io: cli } = io()
      expect(await main(['validate', '-c', file], cli)).toBe(2)
      expect(out.stderr).toContain(message)
    }
  })

  it('an empty plan is exit 2 unless --allow-empty', async () => {
    writeTree(temp.dir, { 'empty.yml': 'version: 1\n' })
    const refused = io()
    expect(await main(['run', '-c', 'empty.yml', '--no-progress'], refused.io)).toBe(2)
    expect(refused.out.stderr).toContain('empty.yml:1:1: no gates to evaluate in pre-release')
    const allowed = io()
    expect(
      await main(['run', '-c', 'empty.yml', '--no-progress', '--allow-empty'], allowed.io)
    ).toBe(0)
  })
})
