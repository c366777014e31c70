import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { connect } from 'node:net'

export interface ConnectProxy {
  url: string
  /** The hosts clients asked to tunnel to, in order. */
  tunnels: string[]
  close(): Promise<void>
}

/**
 * An HTTP proxy that tunnels every CONNECT to one local port, whatever host was asked for: a
 * client with a hard-wired registry (yarn 1 always asks registry.yarnpkg.com) then talks to a
 * local TLS server instead.
 */
export async function startConnectProxy(targetPort: number): Promise<ConnectProxy> {
  const tunnels: string[] = []
  // A tunnelled socket leaves the HTTP server's books: it is tracked here to be closed.
  const sockets = new Set<import('node:net').Socket>()
  const server = createServer((_request, response) => {
    response.writeHead(405).end('CONNECT only')
  })
  server.on('connect', (request, client, head) => {
    tunnels.push(request.url ?? '')
    sockets.add(client as import('node:net').Socket)
    const upstream = connect(targetPort, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      upstream.write(head)
      upstream.pipe(client)
      client.pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    tunnels,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
