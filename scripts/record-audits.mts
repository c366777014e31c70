// Records real audit output against the tests' local advisory server, for the parsers' unit
// tests: `npm audit --json`, `pnpm audit --json`, `yarn audit --json` (yarn 1, through a tunnel to
// a local TLS server: it only ever asks registry.yarnpkg.com) and `yarn npm audit --json` (yarn 4).
// Findings, production only, and the endpoint failing. Usage: npx tsx scripts/record-audits.mts
import { spawn } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { generate } from 'selfsigned'
import { startAdvisoryServer } from '../__tests__/helpers/advisory-server.js'
import type { AdvisoryServer } from '../__tests__/helpers/advisory-server.js'
import { startConnectProxy } from '../__tests__/helpers/connect-proxy.js'

type Tool = 'npm' | 'pnpm' | 'yarn' | 'yarn-berry'
const fixtures: Record<Tool, string> = {
  npm: 'audit-project',
  pnpm: 'audit-project-pnpm',
  yarn: 'audit-project-yarn',
  'yarn-berry': 'audit-project-yarn-berry'
}
const projects = Object.fromEntries(
  Object.entries(fixtures).map(([tool, fixture]) => {
    const dir = mkdtempSync(join(tmpdir(), `rg-record-${tool}-`))
    cpSync(`__tests__/fixtures/${fixture}`, dir, { recursive: true })
    return [tool, dir]
  })
) as Record<Tool, string>

const server = await startAdvisoryServer()
const modules = join(process.cwd(), 'node_modules')
const command: Record<Tool, string[]> = {
  npm: ['npm', 'audit', '--json', '--registry', server.url],
  pnpm: [join(modules, 'pnpm/pnpm'), 'audit', '--json', '--registry', server.url],
  yarn: [process.execPath, join(modules, 'yarn/bin/yarn.js'), 'audit', '--json'],
  'yarn-berry': [
    process.execPath,
    join(modules, '@yarnpkg/cli-dist/bin/yarn.js'),
    'npm',
    'audit',
    '--json',
    '--recursive',
    '--no-deprecations'
  ]
}

// yarn 1: a TLS advisory server for registry.yarnpkg.com, reached through a CONNECT tunnel.
const certificate = await generate([{ name: 'commonName', value: 'registry.yarnpkg.com' }], {
  keySize: 2048,
  algorithm: 'sha256',
  extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'registry.yarnpkg.com' }] }]
})
const tlsServer = await startAdvisoryServer({
  tls: { key: certificate.private, cert: certificate.cert }
})
const proxy = await startConnectProxy(Number(new URL(tlsServer.url).port))
const caFile = join(projects.yarn, '..', 'rg-record-ca.pem')
writeFileSync(caFile, certificate.cert)

function envFor(tool: Tool): NodeJS.ProcessEnv {
  const registry = server.url.replace(/\/$/, '')
  return {
    ...process.env,
    npm_config_cache: join(projects[tool], '.npm-cache'),
    npm_config_fetch_retries: '0',
    pnpm_config_fetch_retries: '0',
    // yarn 1 only: through the tunnel, trusting the local server's certificate.
    ...(tool === 'yarn' && { npm_config_https_proxy: proxy.url, npm_config_cafile: caFile }),
    YARN_NPM_AUDIT_REGISTRY: registry,
    YARN_NPM_REGISTRY_SERVER: registry,
    YARN_UNSAFE_HTTP_WHITELIST: '127.0.0.1',
    YARN_ENABLE_TELEMETRY: '0',
    YARN_ENABLE_GLOBAL_CACHE: '0'
  }
}

async function run(tool: Tool, name: string, args: string[], withStderr = false): Promise<void> {
  const [bin, ...base] = command[tool]
  const child = spawn(bin!, [...base, ...args], { cwd: projects[tool], env: envFor(tool) })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk) => (stdout += chunk))
  child.stderr.on('data', (chunk) => (stderr += chunk))
  const status = await new Promise((resolve) => child.on('close', resolve))
  const clean = (text: string) =>
    text
      .replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:PORT')
      .replaceAll(process.cwd(), '/project')
      .replaceAll(projects[tool], '/work')
  const extension = tool.startsWith('yarn') ? 'ndjson' : 'json'
  // Empty output is not recorded: the tests pass ''.
  if (stdout)
    writeFileSync(`__tests__/fixtures/tools/${tool}-audit-${name}.${extension}`, clean(stdout))
  if (withStderr && stderr)
    writeFileSync(`__tests__/fixtures/tools/${tool}-audit-${name}.stderr`, clean(stderr))
  console.log(
    tool,
    name,
    'exit',
    status,
    'stdout bytes',
    stdout.length,
    'stderr:',
    clean(stderr).slice(0, 200)
  )
}

async function failing(servers: AdvisoryServer[], record: () => Promise<void>): Promise<void> {
  await record()
  for (const each of servers) each.mode = { kind: 'ok' }
}

await run('npm', 'findings', [])
await run('pnpm', 'findings', [])
await run('yarn', 'findings', [])
await run('yarn-berry', 'findings', [])
await run('npm', 'omit-dev', ['--omit=dev'])
await run('pnpm', 'prod', ['--prod'])
await run('yarn', 'groups-dependencies', ['--groups', 'dependencies'])
await run('yarn-berry', 'production', ['--environment', 'production'])
await run('yarn-berry', 'none', ['--environment', 'production', '--severity', 'critical'], true)
for (const [name, mode] of [
  ['error-500', { kind: 'status', status: 500 }],
  ['error-drop', { kind: 'drop' }]
] as const) {
  await failing([server, tlsServer], async () => {
    server.mode = mode
    tlsServer.mode = mode
    await run('npm', name, [])
    await run('pnpm', name, [], true)
    await run('yarn', name, [], true)
    await run('yarn-berry', name, [], true)
  })
}
tlsServer.legacyEndpoints = 'retired'
await run('yarn', 'retired', [], true)
console.log(
  [...server.requests, ...tlsServer.requests].map((r) => `${r.method} ${r.url}`).join('\n')
)
await Promise.all([server.close(), tlsServer.close(), proxy.close()])
