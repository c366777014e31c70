import { readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { httpCheck } from '../../../src/checks/http/index.js'
import { makeServerCertificate, makeTestCa } from '../../helpers/certificates.js'
import { main } from '../../../src/cli/main.js'
import { tempDir, writeTree } from '../../helpers/fs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const temp = tempDir('rg-http-')
const servers: Server[] = []
const TOKEN = 'hc_7fQ2mZx9LkP4vR8sT1wY'

const SECURE_HEADERS = {
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'content-security-policy': "default-src 'self'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin'
}
let flakyCalls = 0

/** The deployed app the tests probe: one route per situation. */
function app(request: IncomingMessage, response: ServerResponse): void {
  const path = new URL(request.url ?? '/', 'http://x').pathname
  const origin = request.headers.origin
  const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers })
    response.end(JSON.stringify(body))
  }
  switch (path) {
    case '/health':
      return json(200, { status: 'ok', checks: { db: 'up' }, version: '1.4.0' }, SECURE_HEADERS)
    case '/bare':
      response.writeHead(200, { 'x-powered-by': 'Express', server: 'nginx/1.25.3' })
      return void response.end('hello')
    case '/weak-headers':
      response.writeHead(200, {
        ...SECURE_HEADERS,
        'strict-transport-security': 'max-age=86400',
        'content-security-policy': "default-src 'self'; script-src 'self' 'unsafe-inline'"
      })
      return void response.end('ok')
    case '/down':
      return json(503, { status: 'starting' })
    case '/moved':
      response.writeHead(301, { location: '/health' })
      return void response.end()
    case '/loop':
      response.writeHead(302, { location: '/loop' })
      return void response.end()
    case '/slow':
      setTimeout(() => json(200, { status: 'ok' }), 150)
      return
    case '/hang':
      return // never answers
    case '/flaky':
      flakyCalls++
      return flakyCalls <= 2 ? json(503, { status: 'deploying' }) : json(200, { status: 'ok' })
    case '/cors-open':
      return json(200, {}, { 'access-control-allow-origin': '*' })
    case '/cors-echo':
      return json(200, {}, origin ? { 'access-control-allow-origin': origin } : {})
    case '/cors-strict':
      return json(
        200,
        {},
        origin === 'https://shop.test'
          ? { 'access-control-allow-origin': origin, vary: 'Origin' }
          : {}
      )
    case '/echo':
      // A careless debug endpoint: it prints the request's Authorization header back.
      response.writeHead(200, { 'content-type': 'text/plain' })
      return void response.end(`you sent ${request.headers.authorization ?? 'nothing'}`)
    case '/auth':
      return request.headers.authorization === `Bearer ${TOKEN}`
        ? json(200, { status: 'ok' })
        : json(401, { error: 'unauthorized' })
    default:
      return json(404, { error: 'not found' })
  }
}

async function listen(server: Server): Promise<string> {
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

let plain: string
let secure: string
let redirector: string
beforeAll(async () => {
  const ca = await makeTestCa()
  writeFileSync(join(temp.dir, 'test-ca.pem'), ca.cert)
  const pair = await makeServerCertificate(['127.0.0.1'], { ca, until: 200 })
  plain = await listen(createServer(app))
  secure = await listen(createHttpsServer({ key: pair.key, cert: pair.cert }, app))
  // What a load balancer's port 80 does: every request to the same path over HTTPS.
  redirector = await listen(
    createServer((request, response) => {
      response.writeHead(301, { location: `https://${secure}${request.url}` })
      response.end()
    })
  )
})
afterAll(async () => {
  for (const server of servers) server.closeAllConnections()
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  temp.cleanup()
})

const check = (options: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) => {
  const workspace = makeWorkspace(temp.dir, env)
  return httpCheck(
    makeGate({ id: 'http', check: 'http', with: { timeout: '2s', ...options } }),
    workspace
  ).then((outcome) => ({ ...outcome, secrets: workspace.secrets, logs: workspace.logs }))
}

describe('http, against real servers on 127.0.0.1', () => {
  it('a healthy endpoint: status, body text, JSON values and security headers all hold', async () => {
    const outcome = await check({
      url: `http://${plain}/health`,
      status: 200,
      'body-contains': '"status":"ok"',
      json: { status: 'ok', 'checks.db': 'up' },
      'security-headers': true
    })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toBe(`http://${plain}/health: all 11 checks passed`)
    expect(outcome.summary).toContain('| ✅ | status | 200 | 200 OK |')
    expect(outcome.summary).toContain('| ✅ | JSON checks.db | "up" | "up" |')
    expect(outcome.summary).toContain(
      '| ✅ | header Strict-Transport-Security | max-age ≥ 15552000 | max-age=31536000; includeSubDomains |'
    )
  })

  it('a server without the security headers, and with X-Powered-By and a versioned Server', async () => {
    const outcome = await check({ url: `http://${plain}/bare`, 'security-headers': true })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      `http://${plain}/bare: header Strict-Transport-Security: expected max-age ≥ 15552000, got absent`
    )
    for (const line of [
      '| ❌ | header Content-Security-Policy | present | absent |',
      '| ❌ | header X-Frame-Options | one of DENY, SAMEORIGIN | absent |',
      '| ❌ | header X-Content-Type-Options | nosniff | absent |',
      '| ❌ | header X-Powered-By | absent | Express |',
      '| ❌ | header Server | absent, or not matching /\\\\d/ | nginx/1.25.3 |'
    ])
      expect(outcome.summary).toContain(line)
  })

  it('header value rules: HSTS max-age and includeSubDomains, CSP without unsafe-inline', async () => {
    const outcome = await check({
      url: `http://${plain}/weak-headers`,
      headers: {
        'Strict-Transport-Security': { 'max-age': 31536000, 'include-subdomains': true },
        'Content-Security-Policy': { 'not-contains': "'unsafe-inline'" },
        'X-Content-Type-Options': 'nosniff'
      }
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain(
      '| ❌ | header Strict-Transport-Security | max-age ≥ 31536000, includeSubDomains | max-age=86400 (max-age 86400 < 31536000) |'
    )
    expect(outcome.summary).toContain("(contains 'unsafe-inline') |")
    expect(outcome.summary).toContain('| ✅ | header X-Content-Type-Options | nosniff | nosniff |')
  })

  it('an unexpected status says what was expected and what came back', async () => {
    const outcome = await check({ url: `http://${plain}/down` })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      `http://${plain}/down: status: expected 2xx, got 503 Service Unavailable`
    )
    const json = await check({ url: `http://${plain}/down`, status: 503, json: { status: 'ok' } })
    expect(json.summary).toContain('| ❌ | JSON status | "ok" | "starting" |')
  })

  it('redirects are followed by default, and fail the gate when forbidden; a loop is cut', async () => {
    const followed = await check({ url: `http://${plain}/moved`, json: { status: 'ok' } })
    expect(followed.conclusion).toBe('success')
    expect(followed.summary).toContain(
      `| ✅ | redirects | at most 10 | 301 http://${plain}/moved → 200 http://${plain}/health |`
    )
    const forbidden = await check({ url: `http://${plain}/moved`, redirects: 'forbid' })
    expect(forbidden.conclusion).toBe('failure')
    expect(forbidden.summary).toContain('| ❌ | redirects | none | 301 to /health |')
    const loop = await check({ url: `http://${plain}/loop` })
    expect(loop.title).toBe(
      `http://${plain}/loop: response: expected an HTTP response, got more than 10 redirects (last to /loop)`
    )
  })

  it('https-redirect: the http:// URL answers a redirect to https://', async () => {
    const outcome = await check({
      url: `https://${secure}/health`,
      'ca-file': 'test-ca.pem',
      'https-redirect': `http://${redirector}/health`
    })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain(
      `| ✅ | HTTPS redirect from http://${redirector}/health | a redirect to https:// | 301 to https://${secure}/health |`
    )
    const served = await check({
      url: `https://${secure}/health`,
      'ca-file': 'test-ca.pem',
      'https-redirect': `http://${plain}/health`
    })
    expect(served.conclusion).toBe('failure')
    expect(served.summary).toContain('| a redirect to https:// | 200 without a redirect |')
  })

  it('https-redirect: true keeps an explicit port: http://127.0.0.1:<port>/ is probed there, not on 80', async () => {
    // Before: the port was dropped and the probe went to 127.0.0.1:80.
    const outcome = await check({
      url: `http://${redirector}/health`,
      'ca-file': 'test-ca.pem',
      'https-redirect': true
    })
    expect(outcome.summary).toContain(
      `| ✅ | HTTPS redirect from http://${redirector}/health | a redirect to https:// | 301 to https://${secure}/health |`
    )
  })

  it('HTTPS with a certificate from the test CA: trusted with ca-file, refused without', async () => {
    expect(
      (await check({ url: `https://${secure}/health`, 'ca-file': 'test-ca.pem' })).conclusion
    ).toBe('success')
    const untrusted = await check({ url: `https://${secure}/health` })
    expect(untrusted.conclusion).toBe('failure')
    expect(untrusted.title).toContain(
      `TLS refused for ${secure}: the issuer is unknown: the server may not be sending its intermediate certificates (UNABLE_TO_VERIFY_LEAF_SIGNATURE)`
    )
  })

  it('cors: a foreign origin granted by * or by echoing fails; a strict server passes', async () => {
    const open = await check({ url: `http://${plain}/cors-open`, cors: true })
    expect(open.conclusion).toBe('failure')
    expect(open.summary).toContain(
      '| ❌ | CORS request from https://release-gates.invalid | not granted | Access-Control-Allow-Origin: * |'
    )
    const echo = await check({
      url: `http://${plain}/cors-echo`,
      cors: { origin: 'https://attacker.test' }
    })
    expect(echo.summary).toContain(
      '| ❌ | CORS preflight from https://attacker.test | not granted | Access-Control-Allow-Origin: https://attacker.test |'
    )
    const strict = await check({
      url: `http://${plain}/cors-strict`,
      cors: { 'allowed-origins': ['https://shop.test'] }
    })
    expect(strict.conclusion).toBe('success')
    expect(strict.summary).toContain(
      '| ✅ | CORS request from https://shop.test | granted | Access-Control-Allow-Origin: https://shop.test |'
    )
  })

  it('latency: p50 and p95 of N requests against the bounds', async () => {
    const slow = await check({
      url: `http://${plain}/slow`,
      latency: { requests: 4, p50: '50ms', p95: '5s' }
    })
    expect(slow.conclusion).toBe('failure')
    expect(slow.summary).toMatch(/\| ❌ \| latency p50 of 4 requests \| ≤ 50ms \| 1\d\dms \|/)
    expect(slow.summary).toMatch(/\| ✅ \| latency p95 of 4 requests \| ≤ 5\.0s \| 1\d\dms \|/)
    const fast = await check({ url: `http://${plain}/health`, latency: { requests: 5, p95: '1s' } })
    expect(fast.conclusion).toBe('success')
  })

  it('a server that does not answer fails at the request timeout', async () => {
    const outcome = await check({ url: `http://${plain}/hang`, timeout: '300ms' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      `http://${plain}/hang: response: expected an HTTP response, got no response from ${plain} within 300 ms`
    )
  })

  it('retries with backoff: a server that fails twice, then succeeds', async () => {
    flakyCalls = 0
    const once = await check({ url: `http://${plain}/flaky` })
    expect(once.conclusion).toBe('failure')
    flakyCalls = 0
    const outcome = await check({ url: `http://${plain}/flaky`, retries: 3, 'retry-delay': '50ms' })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.summary).toContain('all 1 check passed after 3 attempts')
    expect(outcome.logs).toEqual([
      `http://${plain}/flaky: status: expected 2xx, got 503 Service Unavailable; retrying in 50ms (attempt 2 of 4)`,
      `http://${plain}/flaky: status: expected 2xx, got 503 Service Unavailable; retrying in 100ms (attempt 3 of 4)`
    ])
  })

  it('request headers take values from the environment, masked; an unset one fails before sending', async () => {
    const outcome = await check(
      {
        url: '${APP_URL}/auth',
        'request-headers': { Authorization: 'Bearer ${HEALTH_TOKEN}' }
      },
      { APP_URL: `http://${plain}`, HEALTH_TOKEN: TOKEN }
    )
    expect(outcome.conclusion).toBe('success')
    expect(outcome.secrets).toEqual([TOKEN])
    expect(JSON.stringify({ ...outcome, secrets: [] })).not.toContain(TOKEN.slice(3))
    const unset = await check(
      {
        url: `http://${plain}/auth`,
        'request-headers': { Authorization: 'Bearer ${HEALTH_TOKEN}' }
      },
      {}
    )
    expect(unset.conclusion).toBe('failure')
    expect(unset.title).toBe('Cannot send the request: HEALTH_TOKEN not set')
  })

  it('request headers stay with their origin: a redirect elsewhere does not carry them', async () => {
    const outcome = await check(
      {
        url: `http://${redirector}/auth`,
        'ca-file': 'test-ca.pem',
        'request-headers': { Authorization: 'Bearer ${HEALTH_TOKEN}' }
      },
      { HEALTH_TOKEN: TOKEN }
    )
    // The redirector sends it on to the HTTPS server, another origin: no token arrives there.
    expect(outcome.title).toBe(
      `http://${redirector}/auth: status: expected 2xx, got 401 Unauthorized`
    )
  })

  it('through the CLI, a request header echoed back by the server is masked in every output', async () => {
    const project = join(temp.dir, 'cli')
    writeTree(project, {
      '.github/release-gates.yml': [
        'version: 1',
        'gates:',
        '  - id: health',
        '    check: http',
        '    with:',
        `      url: http://${plain}/echo`,
        "      body-contains: 'status: ok'",
        "      request-headers: { Authorization: 'Bearer ${HEALTH_TOKEN}' }"
      ].join('\n')
    })
    let stdout = ''
    const code = await main(['run', '--no-progress', '--no-color', '--json', 'report.json'], {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stdout += text) },
      env: { PATH: process.env.PATH, HEALTH_TOKEN: TOKEN },
      cwd: project
    })
    expect(code).toBe(1)
    const report = readFileSync(join(project, 'report.json'), 'utf8')
    // The failure quotes the body, which holds the token: redacted there and on the console.
    expect(report).toContain('you sent Bearer ***')
    for (const output of [stdout, report]) expect(output).not.toContain(TOKEN.slice(3))
  })

  it('several URLs: each judged, the title names the first that failed', async () => {
    const outcome = await check({
      url: [`http://${plain}/health`, `http://${plain}/down`, `http://${plain}/nothing`]
    })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      `http://${plain}/down: status: expected 2xx, got 503 Service Unavailable (and 1 more URL)`
    )
    expect(outcome.summary).toContain(`**\`http://${plain}/health\`**: all 1 check passed`)
  })

  it('nothing listening: the refusal is the answer', async () => {
    const closed = createServer()
    const address = await listen(closed)
    await new Promise((resolve) => closed.close(resolve))
    const outcome = await check({ url: `http://${address}/health` })
    expect(outcome.title).toBe(
      `http://${address}/health: response: expected an HTTP response, got connection refused by ${address}`
    )
  })
})
