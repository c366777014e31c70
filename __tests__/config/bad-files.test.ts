import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { ConfigError } from '../../src/config/errors.js'
import { validateAll } from '../../src/engine/evaluate.js'

const BAD = fileURLToPath(new URL('../fixtures/bad/', import.meta.url))

/** `# expect: [file:]LINE:COL text` lines at the top of each fixture. */
function expectations(
  file: string
): Array<{ file: string; line: number; col: number; text: string }> {
  return readFileSync(join(BAD, file), 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# expect: '))
    .map((line) => {
      const match = /^# expect: (?:(\S+\.yml):)?(\d+):(\d+) (.+)$/.exec(line)
      if (!match) throw new Error(`bad expectation in ${file}: ${line}`)
      return {
        file: match[1] ?? file,
        line: Number(match[2]),
        col: Number(match[3]),
        text: match[4]!
      }
    })
}

const files = readdirSync(BAD).filter((file) => file.endsWith('.yml'))

describe('bad gates files', () => {
  it('the corpus has at least 25 files, each stating what it expects', () => {
    expect(files.length).toBeGreaterThanOrEqual(25)
    for (const file of files) expect(expectations(file).length).toBeGreaterThan(0)
  })

  it.each(files)(
    '%s reports exactly its expected problems, at the right line and column',
    async (file) => {
      const error = await validateAll({ cwd: BAD, config: file }).then(
        () => undefined,
        (caught: unknown) => caught
      )
      expect(error).toBeInstanceOf(ConfigError)
      const problems = (error as ConfigError).problems.map((problem) => ({
        file: problem.file,
        line: problem.line,
        col: problem.col,
        message: problem.message
      }))
      const expected = expectations(file)
      for (const { file: where, line, col, text } of expected) {
        expect(problems).toContainEqual({
          file: where,
          line,
          col,
          message: expect.stringContaining(text)
        })
      }
      expect(problems).toHaveLength(expected.length)
    }
  )
})
