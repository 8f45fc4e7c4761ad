#!/usr/bin/env node
// Hocuspocus peer for the latency bench: Hocuspocus server + its SQLite extension.
// Usage: node peers/hocuspocus.mjs [--port 1235] [--db :memory:|FILE] [--redis redis://HOST:PORT]
// The extension's default database is ":memory:"; pass --db FILE to persist to disk.
// --redis adds @hocuspocus/extension-redis (fan-out and a store lock between instances): several
// instances on one Redis and one SQLite file are Hocuspocus's multi-instance layout.
// Prints "ready PORT" on stdout once listening. Hocuspocus speaks its own framing
// (document name + auth message in front of each y-protocol message), so loadgen
// talks to it with --protocol hocuspocus (HocuspocusProvider), not a y-websocket client.
import { parseArgs } from 'node:util'
import { Server } from '@hocuspocus/server'
import { SQLite } from '@hocuspocus/extension-sqlite'

const { values: opts } = parseArgs({
  options: {
    port: { type: 'string', default: '1235' },
    host: { type: 'string', default: '127.0.0.1' },
    db: { type: 'string' },
    redis: { type: 'string' }
  }
})
const port = Number(opts.port)
const extensions = [new SQLite(opts.db ? { database: opts.db } : {})]
if (opts.redis) {
  const { Redis } = await import('@hocuspocus/extension-redis')
  const url = new URL(opts.redis)
  extensions.unshift(new Redis({ host: url.hostname, port: Number(url.port || 6379) }))
}
const server = new Server({ port, address: opts.host, quiet: true, extensions })
await server.listen()
console.log(`ready ${port}`)
