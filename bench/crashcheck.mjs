#!/usr/bin/env node
// Crash check: edits under load, a SIGKILL by the caller, then: is every edit a client had seen still there?
//
//   node crashcheck.mjs --url ws://127.0.0.1:8000/ws/rooms --suffix /shared --header "Authorization: Bearer X" \
//        --rooms 10 --clients 2 --rate 5 --load 8 --after 4
//
// Driven by a caller over stdin/stdout (bench/crash.py): after --load seconds of editing it prints "KILL";
// the caller SIGKILLs the server (or a worker) and writes "killed"; then, having restarted what it restarts,
// writes "restarted". Every edit writes a new key `c<client>.<seq>` in the Y.Map --map (Dealroom's `deal`), so
// an edit is one fact that is either there or gone. A value counts as SEEN when a client received it from the
// server (another client's edit arriving by the map's observer); own edits are not counted.
//
// Rooms are split in two groups (even/odd room index):
//   gone:      at "killed" their clients are destroyed at once (tabs closed as the server died): nothing a
//              client holds can be sent back, so what the server had stored is all there is;
//   reconnect: their clients keep editing, reconnect by themselves (y-websocket / Hocuspocus providers),
//              resync, and edit --after seconds more.
// Then a fresh client per room opens the room and every seen value must be in it: `lost` counts the ones
// gone. One JSON line on stdout at the end; with --url listing several servers a room's clients are spread
// over them and the fresh client of room r uses URL r mod n.
import { parseArgs } from 'node:util'
import { createInterface } from 'node:readline'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const { values: o } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8000/ws' },
    suffix: { type: 'string', default: '' },
    'room-prefix': { type: 'string', default: 'bench-' },
    rooms: { type: 'string', default: '10' },
    clients: { type: 'string', default: '2' },
    rate: { type: 'string', default: '5' },
    load: { type: 'string', default: '8' }, // seconds of editing before "KILL"
    after: { type: 'string', default: '4' }, // seconds of editing after the reconnect group resynced
    'resync-timeout': { type: 'string', default: '60' },
    map: { type: 'string', default: 'deal' },
    header: { type: 'string', multiple: true, default: [] },
    protocol: { type: 'string', default: 'y-websocket' },
    token: { type: 'string', default: 'bench' }
  }
})
const ROOMS = Number(o.rooms)
const CLIENTS = Number(o.clients)
const URLS = o.url.split(',').map((u) => u.trim()).filter(Boolean)
const now = () => performance.now()
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))
process.setMaxListeners(0)
const log = (...a) => console.error('crashcheck:', ...a)

const headers = {}
for (const h of o.header) {
  const i = h.indexOf(':')
  headers[h.slice(0, i).trim()] = h.slice(i + 1).trim()
}
class HeaderWebSocket extends WebSocket {
  constructor (url, protocols) { super(url, protocols, { headers, perMessageDeflate: false }) }
}
const makeProvider = async (url, room, doc) => {
  if (o.protocol === 'hocuspocus') {
    const { HocuspocusProvider } = await import('@hocuspocus/provider')
    const p = new HocuspocusProvider({ url, name: room, document: doc, token: o.token, WebSocketPolyfill: HeaderWebSocket })
    return { isSynced: () => p.isSynced, onSynced: (f) => p.on('synced', f), onClose: (f) => p.on('close', f), destroy: () => p.destroy() }
  }
  const p = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: HeaderWebSocket, disableBc: true })
  return { isSynced: () => p.synced, onSynced: (f) => p.on('sync', (s) => { if (s) f() }), onClose: (f) => p.on('connection-close', f), destroy: () => p.destroy() }
}
const roomName = (r) => `${o['room-prefix']}${r}${o.suffix}`
const group = (r) => (r % 2 === 0 ? 'gone' : 'reconnect')

// ---- clients -------------------------------------------------------------------------------
const seen = Array.from({ length: ROOMS }, () => new Set()) // keys received from the server, per room
const written = Array.from({ length: ROOMS }, () => new Set()) // keys written by the room's clients
const clients = []
let editing = true
let tKill = Infinity
for (let r = 0; r < ROOMS; r++) {
  for (let c = 0; c < CLIENTS; c++) {
    const doc = new Y.Doc()
    const cl = { r, c, doc, map: doc.getMap(o.map), seq: 0, closes: [], syncs: [], alive: true }
    cl.map.observe((ev) => {
      if (ev.transaction.local) return
      for (const key of ev.keysChanged) if (cl.map.has(key)) seen[r].add(key)
    })
    cl.provider = await makeProvider(URLS[(r + c) % URLS.length], roomName(r), doc)
    cl.provider.onClose(() => cl.closes.push(now()))
    cl.provider.onSynced(() => cl.syncs.push(now()))
    clients.push(cl)
  }
}
const deadline0 = now() + 30000
while (clients.some((cl) => !cl.provider.isSynced()) && now() < deadline0) await sleep(20)
if (clients.some((cl) => !cl.provider.isSynced())) {
  console.log(JSON.stringify({ error: 'clients not synced after 30 s' }))
  process.exit(2)
}

let sent = 0
const edit = (cl) => {
  cl.seq += 1
  const key = `c${cl.c}.${cl.seq}`
  written[cl.r].add(key)
  cl.map.set(key, cl.seq)
  sent++
}
const interval = 1000 / Number(o.rate)
clients.forEach((cl, i) => {
  const tick = () => {
    if (!editing || !cl.alive) return
    edit(cl)
    setTimeout(tick, interval)
  }
  setTimeout(tick, (i / clients.length) * interval)
})

// ---- the caller's kill ---------------------------------------------------------------------
const lines = createInterface({ input: process.stdin })
const waitLine = (want) => new Promise((resolve) => {
  const on = (line) => { if (line.trim() === want) { lines.off('line', on); resolve() } }
  lines.on('line', on)
})
await sleep(Number(o.load) * 1000)
const killed = waitLine('killed')
const restarted = waitLine('restarted')
console.log('KILL')
await killed
tKill = now()
const seenAtKill = seen.map((s) => s.size)
for (const cl of clients) {
  if (group(cl.r) === 'gone') { cl.alive = false; cl.provider.destroy() }
}
await restarted
const tRestarted = now()
// Clients whose socket closed resync by themselves; wait for every one of them (and a moment for close
// events still in flight).
// A close event may beat our reading of "killed" by a little: closes from 1 s before it count.
const reconnecting = clients.filter((cl) => cl.alive)
const lastClose = (cl) => cl.closes.filter((t) => t >= tKill - 1000).at(-1)
const resynced = (cl) => lastClose(cl) === undefined || cl.syncs.some((t) => t > lastClose(cl))
const resyncDeadline = now() + Number(o['resync-timeout']) * 1000
await sleep(1000)
while (now() < resyncDeadline && reconnecting.some((cl) => !cl.provider.isSynced() || !resynced(cl))) await sleep(20)
const unsynced = reconnecting.filter((cl) => !cl.provider.isSynced() || !resynced(cl)).length
const dropped = reconnecting.filter((cl) => lastClose(cl) !== undefined)
const resyncTimes = dropped.filter(resynced).map((cl) => (cl.syncs.find((t) => t > lastClose(cl)) - tKill) / 1000)
await sleep(Number(o.after) * 1000)
editing = false

// Convergence of the reconnect group: each client has every key the room's clients wrote (up to 20 s).
const convergeDeadline = now() + 20000
const converged = () => reconnecting.every((cl) => [...written[cl.r]].every((k) => cl.map.has(k)))
while (!converged() && now() < convergeDeadline) await sleep(50)

// ---- the check: a fresh client per room ----------------------------------------------------
const lost = { gone: 0, reconnect: 0 }
const seenCount = { gone: 0, reconnect: 0 }
const examples = []
let freshUnsynced = 0
for (let r = 0; r < ROOMS; r++) {
  const doc = new Y.Doc()
  const map = doc.getMap(o.map)
  const p = await makeProvider(URLS[r % URLS.length], roomName(r), doc)
  const d = now() + 30000
  while (!p.isSynced() && now() < d) await sleep(20)
  if (!p.isSynced()) freshUnsynced++
  await sleep(200) // updates broadcast right after the sync step
  seenCount[group(r)] += seen[r].size
  for (const key of seen[r]) {
    if (!map.has(key)) {
      lost[group(r)]++
      if (examples.length < 5) examples.push(`${roomName(r)}:${key}`)
    }
  }
  p.destroy()
}
const r3 = (x) => Math.round(x * 1000) / 1000
console.log(JSON.stringify({
  rooms: ROOMS,
  clients: CLIENTS,
  servers: URLS.length,
  edits_sent: sent,
  seen_at_kill: seenAtKill.reduce((a, b) => a + b, 0),
  seen_gone_group: seenCount.gone,
  lost_gone_group: lost.gone,
  seen_reconnect_group: seenCount.reconnect,
  lost_reconnect_group: lost.reconnect,
  lost_examples: examples,
  reconnect_clients: reconnecting.length,
  dropped_clients: dropped.length,
  reconnected: resyncTimes.length,
  reconnect_max_s: resyncTimes.length ? r3(Math.max(...resyncTimes)) : null,
  unsynced_after_restart: unsynced,
  converged: converged(),
  fresh_unsynced: freshUnsynced,
  restart_wait_s: r3((tRestarted - tKill) / 1000)
}))
for (const cl of reconnecting) cl.provider.destroy()
setTimeout(() => process.exit(0), 200).unref()
