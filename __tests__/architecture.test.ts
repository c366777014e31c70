import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import ts from 'typescript'
import { needsCycles } from '../src/config/load.js'

// The arrows of DESIGN.md, read from the code: every import of src/ by TypeScript's own parser.

const SRC = resolve('src')

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? entry.name === 'generated'
        ? []
        : sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : []
  )
}

/** file (relative to src) -> what it imports: files of src, and packages by name. */
function importGraph(): Map<string, { files: string[]; packages: string[] }> {
  const graph = new Map<string, { files: string[]; packages: string[] }>()
  for (const file of sourceFiles(SRC)) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true)
    const files: string[] = []
    const packages: string[] = []
    for (const { fileName } of importedFiles) {
      if (fileName.startsWith('.')) {
        const target = resolve(dirname(file), fileName.replace(/\.js$/, '.ts'))
        files.push(relative(SRC, target))
      } else packages.push(fileName)
    }
    graph.set(relative(SRC, file), { files, packages })
  }
  return graph
}

describe('the layout holds', () => {
  const graph = importGraph()

  it('reads the imports it judges: a real graph, with the edges everyone knows', () => {
    expect(graph.size).toBeGreaterThan(100)
    expect(graph.get('cli/main.ts')?.files).toContain('engine/evaluate.ts')
  })

  it('has no import cycle', () => {
    // The same cycle finder that rejects `needs` cycles in gates files, on the import graph.
    const cycles = needsCycles(new Map([...graph].map(([file, { files }]) => [file, files])))
    expect([...cycles.values()]).toEqual([])
  })

  it('checks import neither GitHub nor the action toolkit, nor an entry point', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith('checks/'))
      .flatMap(([file, { files, packages }]) =>
        [
          ...packages.filter(
            (name) => name.startsWith('@actions/') || name.startsWith('@octokit/')
          ),
          ...files.filter((target) => /^(github|cli|report|action)\//.test(target))
        ].map((target) => `${file} -> ${target}`)
      )
    expect(offending).toEqual([])
  })

  it('nobody imports the entry points (action/, cli/) but the entry points', () => {
    const offending = [...graph]
      .filter(
        ([file]) =>
          !file.startsWith('cli/') &&
          !file.startsWith('action/') &&
          !['cli.ts', 'index.ts'].includes(file)
      )
      .flatMap(([file, { files }]) =>
        files
          .filter((target) => target.startsWith('cli/') || target.startsWith('action/'))
          .map((target) => `${file} -> ${target}`)
      )
    expect(offending).toEqual([])
  })

  it('the model imports nothing of ours but the model (and the type of exec)', () => {
    const model = [...graph]
      .filter(([file]) => file.startsWith('model/'))
      .flatMap(([file, { files }]) =>
        files
          .filter((target) => !target.startsWith('model/') && target !== 'util/exec.ts')
          .map((target) => `${file} -> ${target}`)
      )
    expect(model).toEqual([])
  })

  it('reporters read a finished Report: they import no check, no engine run, no GitHub', () => {
    const offending = [...graph]
      .filter(([file]) => file.startsWith('report/'))
      .flatMap(([file, { files, packages }]) =>
        [
          ...files.filter(
            (target) => /^(checks|github)\//.test(target) || target === 'engine/run-plan.ts'
          ),
          ...packages.filter((name) => name.startsWith('@octokit/'))
        ].map((target) => `${file} -> ${target}`)
      )
    expect(offending).toEqual([])
  })
})
