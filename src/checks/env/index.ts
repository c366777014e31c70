import type { KindDefinition } from '../../engine/run-plan.js'
import { optionsOf } from '../shared/options.js'
import type { EnvOptions } from '../../config/generated/options.js'

export type { EnvOptions }
import { readFile } from 'node:fs/promises'
import { parseEnv } from 'node:util'
import type { PlannedGate } from '../../config/model.js'
import type { SecretsContext } from '../../engine/run-plan.js'
import type { Outcome, Workspace } from '../../model/types.js'
import { cell, plural } from '../../util/text.js'
import { evaluateVariable, uncoveredExampleKeys } from './rules.js'
import type { VariableVerdict } from './rules.js'
import { resolveInside } from '../shared/paths.js'

/**
 * The values of the variables the gate names, registered before any gate starts: another gate
 * (a command that echoes `$JWT_SECRET`) may print one before this gate has run.
 */
export async function envSecrets(gate: PlannedGate, context: SecretsContext): Promise<string[]> {
  const options = optionsOf(gate, 'env')
  const values = options.dotenv
    ? await readEnvFile(context.cwd, options.dotenv)
    : (context.env as Record<string, string | undefined>)
  return options.variables
    .map((item) => (typeof item === 'string' ? { name: item } : item))
    .map((rule) => ({ value: values[rule.name], rule }))
    .filter(({ value, rule }) => value && value !== rule.equals)
    .map(({ value }) => value!)
}

/**
 * Required variables are present, non-empty, long enough, of the right form and not
 * placeholders. Values are registered as secrets before anything is judged, and no output
 * quotes them.
 */
export async function envCheck(gate: PlannedGate, workspace: Workspace): Promise<Outcome> {
  const options = optionsOf(gate, 'env')
  const rules = options.variables.map((item) => (typeof item === 'string' ? { name: item } : item))
  const values = options.dotenv
    ? await readEnvFile(workspace.cwd, options.dotenv)
    : (workspace.env as Record<string, string | undefined>)
  const example = options.example ? await readEnvFile(workspace.cwd, options.example) : undefined

  for (const rule of rules) {
    const value = values[rule.name]
    // A value that must equal a string from the gates file is public already.
    if (value && value !== rule.equals) workspace.secret(value)
  }

  const verdicts = rules.map((rule) =>
    evaluateVariable(rule, values[rule.name], {
      rejectPlaceholders: options['reject-placeholders'] ?? true,
      ...(example?.[rule.name] !== undefined && { exampleValue: example[rule.name] }),
      ...(options.example !== undefined && { exampleFile: options.example })
    })
  )
  const uncovered = example
    ? uncoveredExampleKeys(
        Object.keys(example),
        new Set(rules.map((rule) => rule.name)),
        new Set(options.optional ?? [])
      )
    : []

  const failing = verdicts.filter((verdict) => !verdict.ok)
  const from = options.dotenv ? `\`${options.dotenv}\`` : 'the environment'
  const problems = failing.length + uncovered.length
  const title =
    problems === 0
      ? rules.length === 1
        ? `${rules[0]!.name} is set and valid in ${from}`
        : `All ${rules.length} variables set and valid in ${from}`
      : [
          failing.length
            ? `${failing.length} of ${plural(rules.length, 'variable')} invalid: ${failing.map((item) => item.name).join(', ')}`
            : '',
          uncovered.length
            ? `${plural(uncovered.length, 'key')} of ${options.example} not declared`
            : ''
        ]
          .filter(Boolean)
          .join('; ')
  return {
    conclusion: problems === 0 ? 'success' : 'failure',
    title,
    summary: renderSummary(verdicts, uncovered, from, options),
    annotations: []
  }
}

function renderSummary(
  verdicts: VariableVerdict[],
  uncovered: string[],
  from: string,
  options: EnvOptions
): string {
  const rows = verdicts.map(
    (verdict) =>
      `| ${verdict.ok ? '✅' : '❌'} | \`${verdict.name}\` | ${cell(describeVerdict(verdict))} |`
  )
  const parts = [
    `Variables read from ${from}. Values are never shown.`,
    '',
    '| | Variable | Found |',
    '|---|---|---|',
    ...rows
  ]
  if (uncovered.length) {
    parts.push(
      '',
      `Keys in \`${options.example}\` that are neither required here nor listed under \`optional\`: ${uncovered.map((key) => `\`${key}\``).join(', ')}.`
    )
  }
  return parts.join('\n')
}

function describeVerdict(verdict: VariableVerdict): string {
  const problems = verdict.problems.filter((problem) => problem !== verdict.found)
  return problems.length ? `${verdict.found}: ${problems.join('; ')}` : verdict.found
}

async function readEnvFile(
  root: string,
  path: string
): Promise<Record<string, string | undefined>> {
  const absolute = resolveInside(root, path)
  let text: string
  try {
    text = await readFile(absolute, 'utf8')
  } catch (error) {
    throw new Error(
      `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`
    )
  }
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first key.
  return parseEnv(text.replace(/^\uFEFF/, ''))
}

/** The `env` kind, as the registry (checks/index.ts) lists it. */
export const definition: KindDefinition = {
  name: 'env',
  cpuBound: false,
  run: envCheck,
  secretsOf: envSecrets
}
