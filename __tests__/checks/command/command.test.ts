import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from '@jest/globals'
import { commandCheck } from '../../../src/checks/command/index.js'
import { tempDir, writeTree } from '../../helpers/fs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const temp = tempDir()
afterAll(temp.cleanup)
const TSC = resolve('node_modules/.bin/tsc')
// The problem matcher the node preset ships for tsc.
const TSC_MATCHER =
  '^(?<file>[^(\\s][^(]*)\\((?<line>\\d+),(?<column>\\d+)\\): (?<severity>error|warning) (?<message>.*)$'

const check = (options: Record<string, unknown>, env?: NodeJS.ProcessEnv) =>
  commandCheck(
    makeGate({ id: 'cmd', check: 'command', with: options }),
    makeWorkspace(temp.dir, env)
  )

describe('command check', () => {
  it('passes on exit 0 and shows the tail of the output', async () => {
    const outcome = await check({
      run: 'for i in 1 2 3 4 5; do echo line $i; done',
      'tail-lines': 2
    })
    expect(outcome).toMatchObject({
      conclusion: 'success',
      title: expect.stringContaining('passed')
    })
    expect(outcome.summary).toContain('line 4\nline 5')
    expect(outcome.summary).not.toContain('line 3')
  })

  it('fails on another exit code, and says which; accepted codes are configurable', async () => {
    const failed = await check({ run: 'echo broken >&2; exit 3' })
    expect(failed.conclusion).toBe('failure')
    expect(failed.title).toBe('`echo broken >&2; exit 3` exited with 3')
    expect(failed.summary).toContain('broken')
    expect((await check({ run: 'exit 3', 'success-codes': [0, 3] })).conclusion).toBe('success')
  })

  it('runs an argv list without a shell, in a sub-directory, with extra env', async () => {
    writeTree(temp.dir, { 'pkg/marker.txt': 'here' })
    const outcome = await check({
      run: [
        'node',
        '-e',
        'const fs=require("fs");process.stdout.write(fs.readFileSync("marker.txt","utf8")+" "+process.env.GREETING+" $HOME")'
      ],
      cwd: 'pkg',
      env: { GREETING: 'hello' }
    })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('here hello $HOME') // no shell: $HOME stays literal
  })

  it('fails with the reason when the program does not exist', async () => {
    const outcome = await check({ run: ['definitely-not-a-program-rg'] })
    expect(outcome).toMatchObject({
      conclusion: 'failure',
      title: 'cannot run definitely-not-a-program-rg: ENOENT'
    })
  })

  it('refuses a cwd outside the repository', async () => {
    await expect(check({ run: 'true', cwd: '../..' })).rejects.toThrow(/outside the repository/)
  })

  it('turns real tsc diagnostics into annotations relative to the repository root', async () => {
    writeTree(temp.dir, {
      'app/tsconfig.json': JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, types: [] },
        include: ['src']
      }),
      'app/src/index.ts': 'const count: number = "three"\nexport function f(x) {\n  return x\n}\n'
    })
    const outcome = await check({
      run: `${TSC} --noEmit --pretty false -p .`,
      cwd: 'app',
      'problem-matcher': TSC_MATCHER
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.annotations).toEqual([
      {
        path: 'app/src/index.ts',
        line: 1,
        column: 7,
        level: 'failure',
        message: "TS2322: Type 'string' is not assignable to type 'number'."
      },
      {
        path: 'app/src/index.ts',
        line: 2,
        column: 19,
        level: 'failure',
        message: "TS7006: Parameter 'x' implicitly has an 'any' type."
      }
    ])
    expect(outcome.title).toContain('2 problem(s) matched')
  })

  it('keeps output that contains backticks inside its code block', async () => {
    const outcome = await check({ run: "printf 'a ```b``` c\\n'" })
    expect(outcome.summary).toMatch(/````text\na ```b``` c\n````/)
  })

  it('strips colour codes from the output it shows', async () => {
    const outcome = await check({ run: "printf '\\033[31mred\\033[0m\\n'" })
    expect(outcome.summary).toContain('\nred\n')
    expect(outcome.summary).not.toContain('\u001b')
  })
})

describe('command check in a fresh process', () => {
  it('uses the directory given, not the process cwd', async () => {
    const outcome = await commandCheck(
      makeGate({ id: 'pwd', check: 'command', with: { run: 'pwd' } }),
      makeWorkspace(join(temp.dir))
    )
    expect(outcome.summary).toContain(temp.dir)
  })
})
