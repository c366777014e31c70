import { readdirSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { suggestion } from '../util/did-you-mean.js'
import { isInside } from '../util/inside.js'
import { catalogDir } from './catalog.js'
import { ConfigError } from './errors.js'
import type { ConfigProblem } from './errors.js'
import { BUILT_IN_STAGES, FINDING_SELECTORS } from './model.js'
import type { DefaultsDef, GatesConfig, GatesFileDef, Origin } from './model.js'
import { describeRemote, parseRemoteName, remoteFileOf, remotePath, remoteRoot } from './remote.js'
import type { RemoteReader, RemoteSource } from './remote.js'
import { loadSourceFile, readFromDisk } from './source.js'
import type { SourceFile, TextReader } from './source.js'
import { schemaValidator, translateErrors, validateSource } from './validate.js'

export interface LoadOptions {
  /** How the repository's files are read (presets always come from disk). Default: from disk. */
  readFile?: TextReader
  /** Directory that relative paths in messages are shown against. */
  cwd?: string
  /** Check kinds that report findings, so their gates may have a `baseline` and finding waivers. */
  findingKinds?: ReadonlySet<string>
  /** Reads `extends: github:OWNER/REPO/PATH@REF` files; without it they are a configuration error. */
  remote?: RemoteReader
  /** Each kind's checks of its options beyond the schema (globs, URLs, rules files). */
  checkOptions?: (
    kind: string,
    options: Record<string, unknown>,
    context: { cwd: string; read: TextReader }
  ) => Promise<Array<{ path: Array<string | number>; message: string }>>
}

interface Layer {
  source: SourceFile
  def: GatesFileDef
}

/**
 * Loads a gates file and everything it extends, validates each against the schema, merges them
 * (the extended file first) and checks what the schema cannot: unique ids, known environments
 * and stages, no cycles. Every problem is collected; one ConfigError carries them all.
 */
export async function loadConfig(file: string, options: LoadOptions = {}): Promise<GatesConfig> {
  const cwd = options.cwd ?? process.cwd()
  const problems: ConfigProblem[] = []
  const layers: Layer[] = []
  const read = options.readFile ?? readFromDisk
  const main = resolve(cwd, file)
  // Extended files come from the repository (or beside the gates file named): never /etc/passwd.
  const roots = [cwd, dirname(main)]
  const remoteSources: RemoteSource[] = []
  const remoteTexts = new Map<string, string>()
  await loadLayer({
    absolute: main,
    cwd,
    roots,
    chain: [],
    layers,
    problems,
    read: remoteAware(read, remoteTexts, options.remote),
    remoteSources,
    remoteTexts,
    ...(options.remote && { remote: options.remote }),
    ...(options.checkOptions && { checkOptions: options.checkOptions })
  })
  if (problems.length > 0) throw new ConfigError(problems)

  const config = mergeLayers(displayPath(resolve(cwd, file), cwd), layers, problems)
  if (remoteSources.length) config.remoteSources = remoteSources
  checkReferences(config, problems, options.findingKinds)
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

interface LayerRequest {
  absolute: string
  cwd: string
  /** Directories an extended file must lie in. */
  roots: string[]
  chain: string[]
  layers: Layer[]
  problems: ConfigProblem[]
  read: TextReader
  checkOptions?: LoadOptions['checkOptions']
  remote?: RemoteReader
  /** Remote files read, each at the commit its ref resolved to. */
  remoteSources: RemoteSource[]
  /** Remote files' texts by loader path, as their first read fetched them. */
  remoteTexts: Map<string, string>
  /** The `extends` entry that names this file, to report a missing file there. */
  namedAt?: { source: SourceFile; path: Array<string | number>; name: string }
}

async function loadLayer(request: LayerRequest): Promise<void> {
  const { absolute, cwd, chain, layers, problems, namedAt } = request
  const isPreset = absolute.startsWith(join(catalogDir(), 'presets'))
  let source: SourceFile
  try {
    source = await loadSourceFile(
      absolute,
      displayPath(absolute, cwd),
      isPreset ? readFromDisk : request.read
    )
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    const missing = error.problems.length === 1 && error.problems[0]!.line === 0
    if (namedAt && missing) {
      problems.push(
        namedAt.source.problem(
          namedAt.path,
          `the extended file ${namedAt.name} cannot be read: ${error.problems[0]!.message.replace(/^cannot read the gates file: /, '')}`
        )
      )
    } else problems.push(...error.problems)
    return
  }
  const schemaProblems = validateSource(source)
  if (schemaProblems.length > 0) {
    problems.push(...schemaProblems)
    return
  }
  const def = source.value as GatesFileDef
  problems.push(...(await optionProblems(def, source, request)))
  const parents = def.extends === undefined ? [] : [def.extends].flat()
  for (const [index, name] of parents.entries()) {
    const at = Array.isArray(def.extends) ? ['extends', index] : ['extends']
    const target = name.startsWith('github:')
      ? await fetchRemote(name, request)
      : locateExtended(name, absolute)
    if (typeof target !== 'string') {
      problems.push(source.problem(at, target.error))
      continue
    }
    if (chain.length >= MAX_EXTENDS_DEPTH) {
      problems.push(
        source.problem(
          at,
          `'extends' goes ${MAX_EXTENDS_DEPTH} files deep here: flatten the chain (a cycle through changing refs looks like this too)`
        )
      )
      continue
    }
    const isPresetTarget = target.startsWith(join(catalogDir(), 'presets'))
    // A remote file extends inside its own repository, at its commit; a local one inside this one.
    const allowed =
      remoteRoot(absolute) !== undefined && !name.startsWith('github:')
        ? [remoteRoot(absolute)!]
        : remoteRoot(target) !== undefined
          ? [remoteRoot(target)!]
          : request.roots
    if (!isPresetTarget && !allowed.some((root) => isInside(root, target))) {
      problems.push(
        source.problem(
          at,
          `'extends' names ${name}, which is outside the repository (${cwd}): only files inside it and presets can be extended`
        )
      )
      continue
    }
    if (target === absolute || chain.includes(target)) {
      const cycle = [...chain, absolute, target].map((item) => displayPath(item, cwd)).join(' -> ')
      problems.push(source.problem(at, `'extends' forms a cycle: ${cycle}`))
      continue
    }
    await loadLayer({
      ...request,
      absolute: target,
      chain: [...chain, absolute],
      namedAt: { source, path: at, name }
    })
  }
  layers.push({ source, def })
}

/** How many files deep `extends` may go: deeper is a mistake (or a cycle through moving refs). */
const MAX_EXTENDS_DEPTH = 8

/**
 * Reads `github:OWNER/REPO/PATH@REF` through the remote reader: its loader path, at the commit the
 * ref resolved to (recorded for the report), or why it cannot be read.
 */
async function fetchRemote(
  name: string,
  request: LayerRequest
): Promise<string | { error: string }> {
  const file = parseRemoteName(name)
  if ('error' in file) return file
  if (!request.remote)
    return {
      error: `'extends' names ${name}, and remote gates files are read through the GitHub API: give a token (the action's \`token\` input; GITHUB_TOKEN for the CLI)`
    }
  try {
    const { text, sha } = await request.remote(file)
    const path = remotePath(file, sha)
    request.remoteTexts.set(path, text)
    if (!request.remoteSources.some((known) => known.name === name && known.sha === sha))
      request.remoteSources.push({ name, sha })
    return path
  } catch (error) {
    return { error: `the extended file ${name} cannot be read: ${(error as Error).message}` }
  }
}

/** The reader, with remote files answered from what was fetched, or fetched at their commit. */
function remoteAware(
  read: TextReader,
  texts: Map<string, string>,
  remote: RemoteReader | undefined
): TextReader {
  return async (path) => {
    const file = remoteFileOf(path)
    if (!file) return read(path)
    const known = texts.get(path)
    if (known !== undefined) return known
    if (!remote) throw Object.assign(new Error('no remote reader'), { code: 'ENOENT' })
    try {
      return (await remote(file)).text
    } catch (error) {
      throw Object.assign(new Error((error as Error).message), { code: (error as Error).message })
    }
  }
}

function locateExtended(name: string, from: string): string | { error: string } {
  if (name.startsWith('./') || name.startsWith('../') || isAbsolute(name))
    return resolve(dirname(from), name)
  const presets = listPresets()
  if (presets.includes(name)) return join(catalogDir(), 'presets', `${name}.yml`)
  return {
    error: `no preset named '${name}'${suggestion(name, presets)}; presets: ${presets.join(', ')}; a local file must start with ./ or ../`
  }
}

/** What the kinds find wrong in the options of a file's gates and environment overrides. */
async function optionProblems(
  def: GatesFileDef,
  source: SourceFile,
  request: LayerRequest
): Promise<ConfigProblem[]> {
  const check = request.checkOptions
  if (!check) return []
  const kinds = new Map((def.gates ?? []).map((gate) => [gate.id, gate.check]))
  const targets: Array<{
    kind: string
    options: Record<string, unknown>
    at: Array<string | number>
  }> = []
  for (const [index, gate] of (def.gates ?? []).entries())
    if (gate.with && gate.check)
      targets.push({ kind: gate.check, options: gate.with, at: ['gates', index, 'with'] })
  for (const [name, env] of Object.entries(def.environments ?? {}))
    for (const [id, override] of Object.entries(env.gates ?? {})) {
      const kind = kinds.get(id)
      // An override of a gate from an extended file is checked once merged (resolve).
      if (kind && override.with)
        targets.push({
          kind,
          options: override.with,
          at: ['environments', name, 'gates', id, 'with']
        })
    }
  const problems: ConfigProblem[] = []
  for (const { kind, options, at } of targets)
    for (const problem of await check(kind, options, { cwd: request.cwd, read: request.read }))
      problems.push(source.problem([...at, ...problem.path], problem.message))
  return problems
}

/** Names of the presets shipped in gates/presets/. */
export function listPresets(): string[] {
  return readdirSync(join(catalogDir(), 'presets'))
    .filter((entry) => entry.endsWith('.yml'))
    .map((entry) => entry.slice(0, -'.yml'.length))
    .sort()
}

/** Later layers win: defaults key by key, environments and gates by name and id. */
function mergeLayers(file: string, layers: Layer[], problems: ConfigProblem[]): GatesConfig {
  const config: GatesConfig = {
    file,
    ...(layers.length && { source: layers[layers.length - 1]!.source }),
    defaults: {},
    defaultsSources: {},
    stages: [...BUILT_IN_STAGES],
    environments: new Map(),
    overrides: new Map(),
    gates: []
  }
  for (const { source, def } of layers) {
    Object.assign(config.defaults, def.defaults)
    for (const key of Object.keys(def.defaults ?? {})) {
      config.defaultsSources[key as keyof DefaultsDef] = source
    }
    for (const stage of def.stages ?? [])
      if (!config.stages.includes(stage)) config.stages.push(stage)

    for (const [name, env] of Object.entries(def.environments ?? {})) {
      const origin: Origin = { source, path: ['environments', name] }
      const previous = config.environments.get(name)?.def
      const { gates, ...rest } = env
      config.environments.set(name, { def: { ...previous, ...rest }, origin })
      const byGate = config.overrides.get(name) ?? new Map()
      for (const [gateId, override] of Object.entries(gates ?? {})) {
        const list = byGate.get(gateId) ?? []
        list.push({
          def: override,
          origin: { source, path: ['environments', name, 'gates', gateId] }
        })
        byGate.set(gateId, list)
      }
      config.overrides.set(name, byGate)
    }

    const seenHere = new Set<string>()
    const positions = new Map(config.gates.map((item, position) => [item.def.id, position]))
    for (const [index, gate] of (def.gates ?? []).entries()) {
      const origin: Origin = { source, path: ['gates', index] }
      if (seenHere.has(gate.id)) {
        problems.push(
          source.problem(
            ['gates', index, 'id'],
            `duplicate gate id '${gate.id}': ids must be unique`
          )
        )
        continue
      }
      seenHere.add(gate.id)
      const existing = positions.get(gate.id) ?? -1
      if (existing === -1) {
        if (gate.check === undefined) {
          problems.push(
            source.problem(
              ['gates', index],
              `missing required key 'check' (only a gate that redefines one of the same id from an extended file may leave it out)`,
              { key: true }
            )
          )
          continue
        }
        positions.set(gate.id, config.gates.length)
        config.gates.push({ def: { ...gate, check: gate.check }, origin })
      } else {
        // A gate redefined by an extending file: its keys win, `with` merges; without `check`
        // it keeps its kind, and the merged `with` is validated for that kind.
        const base = config.gates[existing]!.def
        const merged = {
          ...base,
          ...gate,
          check: gate.check ?? base.check,
          with: deepMerge(base.with ?? {}, gate.with ?? {})
        }
        if (gate.check !== undefined && gate.check !== base.check) merged.with = gate.with ?? {}
        if (gate.check === undefined && gate.with) {
          const validate = schemaValidator().withOf(merged.check)
          if (validate && !validate(merged.with))
            problems.push(
              ...translateErrors(validate.errors ?? [], source, ['gates', index, 'with'])
            )
        }
        config.gates[existing] = { def: merged, origin }
      }
    }
  }
  return config
}

function checkReferences(
  config: GatesConfig,
  problems: ConfigProblem[],
  findingKinds?: ReadonlySet<string>
): void {
  const envNames = [...config.environments.keys()]
  const gateIds = config.gates.map((gate) => gate.def.id)
  const knownIds = new Set(gateIds)
  // Ordering is needs and after together: a cycle through either would wait forever.
  const cycles = needsCycles(
    new Map(config.gates.map(({ def }) => [def.id, [...(def.needs ?? []), ...(def.after ?? [])]]))
  )

  const defaultEnv = config.defaults.environment
  if (defaultEnv !== undefined && envNames.length > 0 && !config.environments.has(defaultEnv)) {
    problems.push(
      config.defaultsSources.environment!.problem(
        ['defaults', 'environment'],
        unknownEnvironment(defaultEnv, envNames)
      )
    )
  }
  if (config.defaults.stage !== undefined && !config.stages.includes(config.defaults.stage)) {
    problems.push(
      config.defaultsSources.stage!.problem(
        ['defaults', 'stage'],
        unknownStage(config.defaults.stage, config.stages)
      )
    )
  }

  for (const [name, { def, origin }] of config.environments) {
    if (def.extends !== undefined && !config.environments.has(def.extends)) {
      problems.push(
        origin.source.problem(
          [...origin.path, 'extends'],
          unknownEnvironment(def.extends, envNames)
        )
      )
    }
    const cycle = environmentCycle(config, name)
    if (cycle)
      problems.push(
        origin.source.problem(
          [...origin.path, 'extends'],
          `environment 'extends' forms a cycle: ${cycle.join(' -> ')}`
        )
      )
  }
  for (const [, byGate] of config.overrides) {
    for (const [gateId, overrides] of byGate) {
      if (knownIds.has(gateId)) continue
      for (const { origin } of overrides) {
        problems.push(
          origin.source.problem(
            origin.path,
            `no gate with id '${gateId}'${suggestion(gateId, gateIds)}`,
            { key: true }
          )
        )
      }
    }
  }

  for (const { def, origin } of config.gates) {
    for (const key of ['needs', 'after'] as const)
      for (const [index, needed] of (def[key] ?? []).entries()) {
        if (!knownIds.has(needed)) {
          problems.push(
            origin.source.problem(
              [...origin.path, key, index],
              `no gate with id '${needed}'${suggestion(needed, gateIds)}`
            )
          )
        }
      }
    const cycle = cycles.get(def.id)
    if (cycle)
      problems.push(
        origin.source.problem(
          [...origin.path, def.needs ? 'needs' : 'after'],
          `'${def.needs ? 'needs' : 'after'}' forms a cycle: ${cycle.join(' -> ')}`
        )
      )
    for (const [index, env] of (def.environments ?? []).entries()) {
      if (!config.environments.has(env)) {
        problems.push(
          origin.source.problem(
            [...origin.path, 'environments', index],
            unknownEnvironment(env, envNames)
          )
        )
      }
    }
    const stages = def.stage === undefined ? [] : [def.stage].flat()
    for (const [index, stage] of stages.entries()) {
      if (config.stages.includes(stage)) continue
      const at = Array.isArray(def.stage)
        ? [...origin.path, 'stage', index]
        : [...origin.path, 'stage']
      problems.push(origin.source.problem(at, unknownStage(stage, config.stages)))
    }
    // A baseline on a kind without findings would accept nothing and say nothing: a mistake.
    if (def.baseline !== undefined && findingKinds && !findingKinds.has(def.check))
      problems.push(
        origin.source.problem(
          [...origin.path, 'baseline'],
          `'${def.check}' gates report no findings, so a baseline has nothing to judge: baselines work on ${[...findingKinds].sort().join(', ')}`,
          { key: true }
        )
      )
    if (!findingKinds?.has(def.check)) {
      for (const [index, waiver] of (def.waivers ?? []).entries()) {
        const narrowing = FINDING_SELECTORS.find((key) => waiver[key] !== undefined)
        if (narrowing) {
          problems.push(
            origin.source.problem(
              [...origin.path, 'waivers', index, narrowing],
              `'${def.check}' gates report no findings to waive one by one: drop '${narrowing}' to waive the whole gate`,
              { key: true }
            )
          )
        }
      }
    }
  }
}

/**
 * For every gate on a cycle of `needs`, a shortest path from it back to itself. Linear in the
 * gates and their needs (Tarjan's strongly connected components, then a search inside each
 * component), so a file of thousands of gates validates in moments.
 */
export function needsCycles(needs: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const index = new Map<string, number>()
  const low = new Map<string, number>()
  const onStack = new Set<string>()
  const stack: string[] = []
  const components: string[][] = []
  let counter = 0
  for (const root of needs.keys()) {
    if (index.has(root)) continue
    // Iterative depth-first search: a long chain of needs must not overflow the call stack.
    const work: Array<{ id: string; next: number }> = [{ id: root, next: 0 }]
    index.set(root, counter)
    low.set(root, counter++)
    stack.push(root)
    onStack.add(root)
    while (work.length) {
      const frame = work[work.length - 1]!
      const edges = needs.get(frame.id) ?? []
      if (frame.next < edges.length) {
        const to = edges[frame.next++]!
        if (!needs.has(to)) continue
        if (!index.has(to)) {
          index.set(to, counter)
          low.set(to, counter++)
          stack.push(to)
          onStack.add(to)
          work.push({ id: to, next: 0 })
        } else if (onStack.has(to)) low.set(frame.id, Math.min(low.get(frame.id)!, index.get(to)!))
        continue
      }
      work.pop()
      const parent = work[work.length - 1]
      if (parent) low.set(parent.id, Math.min(low.get(parent.id)!, low.get(frame.id)!))
      if (low.get(frame.id) === index.get(frame.id)) {
        const component: string[] = []
        let member: string
        do {
          member = stack.pop()!
          onStack.delete(member)
          component.push(member)
        } while (member !== frame.id)
        components.push(component)
      }
    }
  }
  const cycles = new Map<string, string[]>()
  for (const component of components) {
    const members = new Set(component)
    if (component.length === 1 && !(needs.get(component[0]!) ?? []).includes(component[0]!))
      continue
    for (const start of component) cycles.set(start, shortestPathBack(start, needs, members))
  }
  return cycles
}

function shortestPathBack(
  start: string,
  needs: ReadonlyMap<string, readonly string[]>,
  members: ReadonlySet<string>
): string[] {
  const cameFrom = new Map<string, string>()
  const queue = [start]
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!
    for (const next of needs.get(id) ?? []) {
      if (!members.has(next)) continue
      if (next === start) {
        const path = [start]
        for (let at: string | undefined = id; at !== start; at = cameFrom.get(at!))
          path.splice(1, 0, at!)
        return [...path, start]
      }
      if (!cameFrom.has(next)) {
        cameFrom.set(next, id)
        queue.push(next)
      }
    }
  }
  return [start, start]
}

function environmentCycle(config: GatesConfig, start: string): string[] | undefined {
  const seen = [start]
  let current = config.environments.get(start)?.def.extends
  while (current !== undefined) {
    if (current === start) return [...seen, current]
    if (seen.includes(current)) return undefined // a cycle, reported from its own members
    seen.push(current)
    current = config.environments.get(current)?.def.extends
  }
  return undefined
}

export function unknownEnvironment(name: string, known: string[]): string {
  return `unknown environment '${name}'${suggestion(name, known)}; environments: ${known.join(', ') || '(none declared)'}`
}

export function unknownStage(name: string, known: string[]): string {
  return `unknown stage '${name}'${suggestion(name, known)}; stages: ${known.join(', ')} (declare more under 'stages')`
}

/** Objects merge key by key; lists and values are replaced. */
export function deepMerge(
  base: Record<string, unknown>,
  over: Record<string, unknown>
): Record<string, unknown> {
  const result: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(over)) {
    const previous = result[key]
    result[key] =
      isPlainObject(previous) && isPlainObject(value) ? deepMerge(previous, value) : value
  }
  return result
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function displayPath(absolute: string, cwd: string): string {
  const remote = describeRemote(absolute)
  if (remote) return remote
  const shown = relative(cwd, absolute)
  return shown && isInside(cwd, absolute) ? shown : absolute
}
