import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createServer } from 'node:tls'
import type { Server, TlsOptions } from 'node:tls'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { tlsCheck } from '../../../src/checks/tls/index.js'
import { makeServerCertificate, makeTestCa } from '../../helpers/certificates.js'
import type { KeyPair } from '../../helpers/certificates.js'
import { tempDir } from '../../helpers/fs.js'
import { makeGate, makeWorkspace } from '../../helpers/plan.js'

const temp = tempDir('rg-tls-')
const servers: Server[] = []

/** A TLS server on 127.0.0.1 presenting `pair`, closing each connection after the handshake. */
async function serve(pair: KeyPair, extra: TlsOptions = {}): Promise<number> {
  const server = createServer({ key: pair.key, cert: pair.cert, ...extra }, (socket) =>
    socket.end()
  )
  server.on('tlsClientError', () => undefined)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

const ports: Record<string, number> = {}
let ca: KeyPair
beforeAll(async () => {
  ca = await makeTestCa()
  writeFileSync(join(temp.dir, 'test-ca.pem'), ca.cert)
  const names = ['shop.test', '127.0.0.1']
  ports.valid = await serve(await makeServerCertificate(names, { ca, until: 200 }))
  ports.expired = await serve(await makeServerCertificate(names, { ca, from: -400, until: -5 }))
  ports.expiring = await serve(await makeServerCertificate(names, { ca, until: 10 }))
  ports.wrongHost = await serve(
    await makeServerCertificate(['other.test', '10.0.0.1'], { ca, until: 200 })
  )
  ports.selfSigned = await serve(await makeServerCertificate(names, { until: 200 }))
  ports.oldProtocols = await serve(await makeServerCertificate(names, { ca, until: 200 }), {
    minVersion: 'TLSv1',
    ciphers: 'DEFAULT@SECLEVEL=0'
  })
})
afterAll(async () => {
  await Promise.all(
    servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined))))
  )
  temp.cleanup()
})

const check = (port: number, extra: Record<string, unknown> = {}) =>
  tlsCheck(
    makeGate({
      id: 'tls',
      check: 'tls',
      with: { host: '127.0.0.1', port, 'ca-file': 'test-ca.pem', timeout: '5s', ...extra }
    }),
    { ...makeWorkspace(temp.dir), now: new Date() }
  )

describe('tls, against real TLS servers on 127.0.0.1', () => {
  it('a valid chain from the trusted CA, for the host, 200 days left: met, with the certificate in the summary', async () => {
    const outcome = await check(ports.valid!, { 'min-days': 180 })
    expect(outcome.conclusion).toBe('success')
    expect(outcome.title).toMatch(
      /^127\.0\.0\.1:\d+: trusted certificate for 127\.0\.0\.1, 199 days left, TLSv1\.3$/
    )
    expect(outcome.summary).toContain('CN=shop.test')
    expect(outcome.summary).toContain('CN=Release Gates Test CA')
    expect(outcome.summary).toContain('shop.test, 127.0.0.1')
    expect(outcome.summary).toMatch(/\| leaf \| .* \| \d{4}-\d{2}-\d{2} \| 199 \|/)
  })

  it('the same server without the CA: not trusted, and says why', async () => {
    const outcome = await check(ports.valid!, { 'ca-file': undefined })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain(
      '| ❌ | chain trusted | a chain to a trusted root | the issuer is unknown: the server may not be sending its intermediate certificates (UNABLE_TO_VERIFY_LEAF_SIGNATURE) |'
    )
  })

  it('an expired certificate', async () => {
    const outcome = await check(ports.expired!)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain('a certificate in the chain has expired (CERT_HAS_EXPIRED)')
    expect(outcome.summary).toMatch(
      /\| ❌ \| validity \| valid ≥ 30 more days \| expired \d{4}-\d{2}-\d{2} \(6 days ago\) \|/
    )
  })

  it('a certificate expiring in 10 days fails min-days 30, and passes min-days 7', async () => {
    const outcome = await check(ports.expiring!)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toMatch(
      /1 of 4 TLS checks failed: validity: expected valid ≥ 30 more days, got until \d{4}-\d{2}-\d{2}: 9 days left$/
    )
    expect((await check(ports.expiring!, { 'min-days': 7 })).conclusion).toBe('success')
  })

  it('a certificate for another host name', async () => {
    const outcome = await check(ports.wrongHost!)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain(
      '| ❌ | host name | certificate names 127.0.0.1 | it names other.test, 10.0.0.1 |'
    )
    // The SNI name is what a certificate must name: shop.test on the valid server.
    expect((await check(ports.valid!, { servername: 'shop.test' })).conclusion).toBe('success')
    expect((await check(ports.valid!, { servername: 'www.shop.test' })).conclusion).toBe('failure')
  })

  it('a self-signed certificate', async () => {
    const outcome = await check(ports.selfSigned!)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain(
      'the certificate is self-signed: no authority vouches for it (DEPTH_ZERO_SELF_SIGNED_CERT)'
    )
  })

  it('a server that still accepts TLS 1.0 or 1.1 fails "at least TLS 1.2"', async () => {
    const outcome = await check(ports.oldProtocols!)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toMatch(
      /\| ❌ \| protocol \| TLSv1\.2 or newer only \| TLSv1\.3, but TLSv1(\.1)? is accepted too \|/
    )
  })

  it('min-protocol TLSv1.3 fails a server that also speaks TLS 1.2', async () => {
    const outcome = await check(ports.valid!, { 'min-protocol': 'TLSv1.3' })
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.summary).toContain('TLSv1.3, but TLSv1.2 is accepted too')
  })

  it('nothing listening: fails, saying the connection was refused', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const outcome = await check(port)
    expect(outcome.conclusion).toBe('failure')
    expect(outcome.title).toBe(
      `No TLS handshake with 127.0.0.1:${port}: connection refused by 127.0.0.1:${port}`
    )
  })
})
