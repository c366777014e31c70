import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { ALL_STAGES } from '../config/resolve.js'
import { DEFAULT_CONFIG, loadPlan, toolVersion } from '../engine/evaluate.js'
import { describeSkipped, importItems, renderGatesFile } from '../import/build.js'
import type { ImportedGate } from '../import/build.js'
import { readChecklist } from '../import/markdown.js'
import { mergeIntoFile } from '../import/merge.js'
import { loadImportRules } from '../import/rules.js'
import { adaptToRepository } from './adapt.js'
import { groupSignoffs, MAX_SIGNOFFS } from './group-signoffs.js'
import { schemaReference } from './schema-ref.js'
import { commandExists, inspectRepository } from './inspect.js'
import type { RepoFacts } from './inspect.js'

/** Input `init` cannot work with: reported like a wrong command line (exit 2). */
export class InitInputError extends Error {}

export interface InitRequest {
  /** The repository. */
  root: string
  /** A markdown checklist, absolute; without one the gates come from the repository alone. */
  checklist?: string
  /** The gates file to write, relative to root (default .github/release-gates.yml). */
  out?: string
  /** Replace an existing gates file instead of merging into it. */
  force?: boolean
}

/**
 * `release-gates init`: the checklist plus what the repository shows, into a gates file that
 * runs. Reads files only; runs nothing. Into an existing gates file it merges (`--force`
 * replaces it). Returns the report to print.
 */
export async function initRepository(request: InitRequest): Promise<string> {
  const out = request.out ?? DEFAULT_CONFIG
  const target = resolve(request.root, out)
  const merging = existsSync(target) && !request.force
  const facts = inspectRepository(request.root)
  let markdown: string
  if (request.checklist) {
    try {
      markdown = readFileSync(request.checklist, 'utf8')
    } catch (error) {
      throw new InitInputError(
        `cannot read ${request.checklist}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`
      )
    }
  } else markdown = checklistFromFacts(facts)
  const { items, skipped } = readChecklist(markdown)
  if (!items.length) throw new InitInputError(`${request.checklist} has no task items (- [ ] …)`)
  const skippedLines = request.checklist
    ? describeSkipped(skipped, relative(request.root, request.checklist).split('\\').join('/'))
    : ''
  const gates = groupSignoffs(adaptToRepository(importItems(items, loadImportRules()), facts))
  if (merging)
    return `${mergeIntoFile(target, out, gates)}${skippedLines}${await validates(request.root, out)}\n`
  mkdirSync(dirname(target), { recursive: true })
  const source = request.checklist
    ? relative(dirname(target), request.checklist).split('\\').join('/')
    : 'what the repository holds (no checklist given)'
  writeFileSync(
    target,
    renderGatesFile(gates, source, schemaReference(request.root, target, toolVersion()))
  )
  const validation = await validates(request.root, out)
  return renderInitReport(gates, facts, request.root, out, `${skippedLines}${validation}`)
}

/** Without a checklist: the items a repository's own files show it can prove. */
function checklistFromFacts(facts: RepoFacts): string {
  const testable =
    facts.packages.some((pkg) => pkg.hasTestScript) || facts.python.some((p) => p.pytest)
  const lines = ['# Release checklist', '', '## Code quality']
  if (testable) lines.push('- [ ] Unit tests passing')
  if (facts.packages.some((pkg) => pkg.tsconfig))
    lines.push('- [ ] TypeScript compilation without errors')
  if (facts.packages.some((pkg) => pkg.eslintConfig) || facts.python.some((p) => p.linters.length))
    lines.push('- [ ] Linting passes')
  lines.push('', '## Security', '- [ ] No hardcoded secrets in code')
  if (facts.lockfile) lines.push('- [ ] No critical vulnerabilities in dependencies: `npm audit`')
  if (facts.envExamples.length)
    lines.push('- [ ] `.env` is in `.gitignore`', '- [ ] All required environment variables set')
  return `${lines.join('\n')}\n`
}

async function validates(root: string, out: string): Promise<string> {
  try {
    const plan = await loadPlan({ cwd: root, config: out, stage: ALL_STAGES, allowEmpty: true })
    return `✔ ${out} is valid: ${plan.gates.length} gates`
  } catch (error) {
    return `✘ ${out} does not validate: ${(error as Error).message}`
  }
}

/** What is ready, what needs a value and where to find it, which commands were found. */
export function renderInitReport(
  gates: ImportedGate[],
  facts: RepoFacts,
  root: string,
  out: string,
  validation: string
): string {
  const automated = gates.filter((gate) => gate.wiring && gate.wiring.check !== 'manual')
  const fill = automated.filter((gate) => gate.wiring!.placeholders.length)
  const ready = automated.filter((gate) => !gate.wiring!.placeholders.length)
  const signoffs = (stage: string) =>
    gates.filter((gate) => gate.stage === stage && (!gate.wiring || gate.wiring.check === 'manual'))
      .length
  const lines = [
    `Wrote ${out}: ${gates.length} gates, ${automated.length} automated, ${signoffs('pre-release')} sign-offs before a release (at most ${MAX_SIGNOFFS}; items grouped by section where there were more).`,
    `Found: ${describeFacts(facts)}.`,
    '',
    `Ready (${ready.length}):`,
    ...ready.map(
      (gate) => `  ${gate.id}: ${gate.wiring!.check}${gate.note ? ` — ${gate.note}` : ''}`
    )
  ]
  if (fill.length)
    lines.push(
      '',
      `Needs a value, then remove enabled: false (${fill.length}):`,
      ...fill.map(
        (gate) =>
          `  gates[${gate.id}].${gate.wiring!.placeholders.map((key) => `with.${key}`).join(', ')}${suggestion(gate, facts)}`
      )
    )
  const kept = gates.filter((gate) => !gate.wiring && gate.note)
  if (kept.length)
    lines.push(
      '',
      `Kept manual (${kept.length}):`,
      ...kept.map((gate) => `  ${gate.id}: ${gate.note}`)
    )
  const commands = automated.filter((gate) => typeof gate.wiring!.with.run === 'string')
  if (commands.length)
    lines.push(
      '',
      'Commands checked (found, not run):',
      ...commands.map((gate) => {
        const dir = String(gate.wiring!.with.cwd ?? '')
        const pkg = facts.packages.find((candidate) => candidate.dir === dir)
        return `  ${gate.id}: ${String(gate.wiring!.with.run)} — ${commandExists(resolve(root), pkg, String(gate.wiring!.with.run))}`
      })
    )
  lines.push('', validation, '')
  return lines.join('\n')
}

function describeFacts(facts: RepoFacts): string {
  const parts = [
    facts.packageManager ? `${facts.packageManager} (${facts.lockfile})` : 'no lockfile',
    `${facts.packages.length} package.json`,
    `${facts.packages.filter((pkg) => pkg.hasTestScript).length} with a test script`,
    `${facts.packages.filter((pkg) => pkg.tsconfig).length} tsconfig`,
    `sources in ${facts.sourceDirs.join(', ') || 'no folder'}`
  ]
  if (facts.envExamples.length)
    parts.push(facts.envExamples.map((example) => example.path).join(', '))
  if (facts.python.length)
    parts.push(`Python in ${facts.python.map((p) => p.dir || 'the root').join(', ')}`)
  if (facts.prismaSchema) parts.push(facts.prismaSchema)
  if (facts.compose) parts.push(facts.compose)
  return parts.join(', ')
}

/** Keys that hold the application's own address (not a vendor's API). */
const APP_URL_KEY =
  /^(?:NEXT_PUBLIC_|VITE_|REACT_APP_|PUBLIC_)?(?:APP|SITE|PUBLIC|FRONTEND|WEB|NEXTAUTH|BASE|CLIENT|STOREFRONT)_URL$/

/** Where in the repository a missing value may be found. */
function suggestion(gate: ImportedGate, facts: RepoFacts): string {
  const check = gate.wiring!.check
  if (check === 'env' && facts.envExamples.length)
    return ` (see ${facts.envExamples.map((example) => example.path).join(', ')})`
  if ((check === 'http' || check === 'tls') && facts.envExamples.length) {
    const url = facts.envExamples
      .flatMap((example) => example.keys.map((key) => ({ ...key, path: example.path })))
      .find((key) => APP_URL_KEY.test(key.name) && /^https?:\/\//.test(key.value))
    if (url) return ` (${url.path} has ${url.name})`
  }
  return ''
}
