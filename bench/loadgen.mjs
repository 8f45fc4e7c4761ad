#!/usr/bin/env node
// Edit-propagation latency load generator for y-websocket servers.
//
//   node loadgen.mjs --url ws://127.0.0.1:8000/ws --rooms 50 --clients 4 --rate 5 --seconds 20
//   node loadgen.mjs --url ws://127.0.0.1:8000/ws --saturate --seconds 10
//   node loadgen.mjs --url ws://127.0.0.1:8000/ws --saturate --rooms 20 --clients 4 --seconds 10
//   node loadgen.mjs --url ws://127.0.0.1:1235,ws://127.0.0.1:1237 --protocol hocuspocus ...
//
// Every client is a real provider (y-websocket's WebsocketProvider, or HocuspocusProvider with
// --protocol hocuspocus) with its own Y.Doc, connected to URL/ROOM[SUFFIX]. An edit sets the
// client's own key in the Y.Map --map (default "comments") to {r: runId, s: seq, v: payload}, or with
// --flat to the text "runId:seq:payload" (Dealroom's `deal` map holds plain values only, and its
// `comments` are written by the server: sync_latency.py runs every server with --map deal --flat).
// Every other client of the room observes it; latency = performance.now() at the observer's
// Y.Map event minus performance.now() just before the sender's map.set (one process, one clock).
// Send times are kept in a local table, so updates that arrive merged (e.g. after a resync) still count each
// skipped seq as delivered with its own latency.
//
// --url may list several servers (comma-separated): client c of room r connects to URL number
// (r + c) mod n, so every room's clients are spread over all of them (two Hocuspocus instances).
// --saturate: one edit in flight per room, passed round the room's clients in turn (client k edits as soon
// as it observes client k-1's edit); without --rooms/--clients that is 1 room x 2 clients (ping-pong).
//
// Edits are sent on a fixed schedule (client k of N is phase-shifted); a late timer sends every
// missed slot at once, so a slow server or a busy generator never lowers the offered load
// silently: `send_lag_p99_ms` shows how late the generator itself was.
// Only edits sent inside the measurement window (after --warmup) count; after the window the
// generator waits up to --drain seconds for stragglers. One JSON line is printed on stdout.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const { values: o } = parseArgs({
  options: {
    url: { type: 'string', default: 'ws://127.0.0.1:8000/ws' },
    suffix: { type: 'string', default: '' },
    'room-prefix': { type: 'string', default: 'bench-' },
    rooms: { type: 'string' }, // default 50, or 1 with --saturate
    clients: { type: 'string' }, // default 4, or 2 with --saturate
    rate: { type: 'string', default: '5' }, // edits per second per client
    seconds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    drain: { type: 'string', default: '5' },
    'connect-timeout': { type: 'string', default: '30' },
    payload: { type: 'string', default: '16' }, // bytes of filler in each edit
    map: { type: 'string', default: 'comments' }, // name of the Y.Map edited
    header: { type: 'string', multiple: true, default: [] }, // "Name: value", repeatable
    protocol: { type: 'string', default: 'y-websocket' }, // or "hocuspocus"
    token: { type: 'string', default: 'bench' }, // hocuspocus auth token
    deflate: { type: 'boolean', default: false }, // offer permessage-deflate, as browsers do
    saturate: { type: 'boolean', default: false },
    flat: { type: 'boolean', default: false } // values as "run:seq:payload" text instead of maps
  }
})

const num = (k) => Number(o[k])
const SAT = o.saturate
const ROOMS = o.rooms !== undefined ? num('rooms') : SAT ? 1 : 50
const CLIENTS = o.clients !== undefined ? num('clients') : SAT ? 2 : 4
const URLS = o.url.split(',').map((u) => u.trim()).filter(Boolean)
const RATE = num('rate')
const SECONDS = num('seconds')
const WARMUP = SAT ? Math.min(num('warmup'), 1) : num('warmup')
const DRAIN = num('drain')
const RUN = randomBytes(4).toString('hex') // ignores values left in reused rooms by older runs
const FILLER = 'x'.repeat(num('payload'))
const now = () => performance.now()
process.setMaxListeners(0) // y-websocket adds a process 'exit' listener per provider

const headers = {}
for (const h of o.header) {
  const i = h.indexOf(':')
  if (i < 1) throw new Error(`bad --header ${h}`)
  headers[h.slice(0, i).trim()] = h.slice(i + 1).trim()
}
// ws WebSocket that sends our headers on the upgrade request. permessage-deflate is off by
// default: inflating every small update costs the generator more CPU than all of Yjs.
class HeaderWebSocket extends WebSocket {
  constructor (url, protocols) { super(url, protocols, { headers, perMessageDeflate: o.deflate }) }
}

const makeProvider = async (room, doc, url) => {
  if (o.protocol === 'hocuspocus') {
    const { HocuspocusProvider } = await import('@hocuspocus/provider')
    const p = new HocuspocusProvider({
      url, name: room, document: doc, token: o.token, WebSocketPolyfill: HeaderWebSocket
    })
    return { isSynced: () => p.isSynced, onSynced: (f) => p.on('synced', f), onClose: (f) => p.on('close', f), destroy: () => p.destroy() }
  }
  const p = new WebsocketProvider(url, room, doc, { WebSocketPolyfill: HeaderWebSocket, disableBc: true })
  return { isSynced: () => p.synced, onSynced: (f) => p.on('sync', f), onClose: (f) => p.on('connection-close', f), destroy: () => p.destroy() }
}

// ---- state ---------------------------------------------------------------------------------
const latencies = [] // ms, measured edits only
const sendLags = [] // ms late vs schedule, measured edits only
let sent = 0 // measured edits sent
let delivered = 0 // measured (edit, receiver) pairs observed before the drain deadline
let disconnects = 0
let tStart = Infinity // measurement window [tStart, tEnd) of scheduled send times
let tEnd = Infinity
let recording = true
let onDelivery = null // saturate mode hook
let scheduling = 0 // paced clients that still have slots due before tEnd

const clients = []
for (let r = 0; r < ROOMS; r++) {
  const room = `${o['room-prefix']}${r}${o.suffix}`
  const peers = []
  for (let c = 0; c < CLIENTS; c++) {
    const doc = new Y.Doc()
    const cl = { room: r, key: String(c), doc, map: doc.getMap(o.map), seq: 0, sendT: [0], counted: [false], lastSeen: {}, peers }
    peers.push(cl)
    clients.push(cl)
  }
}

// `due` is the scheduled send time: it decides whether the edit is in the measurement window.
const edit = (cl, due) => {
  const t = now()
  const counted = due >= tStart && due < tEnd
  cl.seq += 1
  cl.sendT.push(t)
  cl.counted.push(counted)
  if (counted) { sent++; sendLags.push(t - due) }
  cl.map.set(cl.key, encode(cl.seq))
}

const encode = (seq) => o.flat ? `${RUN}:${seq}:${FILLER}` : { r: RUN, s: seq, v: FILLER }
const decode = (val) => {
  if (typeof val !== 'string') return val
  const [r, seq] = val.split(':')
  return { r, s: Number(seq) }
}

const observe = (cl) => cl.map.observe((ev) => {
  if (ev.transaction.local) return
  const t = now()
  for (const key of ev.keysChanged) {
    const val = decode(cl.map.get(key))
    if (!val || val.r !== RUN) continue
    const sender = cl.peers[Number(key)]
    const last = cl.lastSeen[key] ?? 0
    if (val.s <= last) continue
    cl.lastSeen[key] = val.s
    for (let s = last + 1; s <= val.s; s++) {
      if (recording && sender.counted[s]) { delivered++; latencies.push(t - sender.sendT[s]) }
    }
    if (onDelivery) onDelivery(cl, Number(key))
  }
})

const pct = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)] : null
const r3 = (x) => x == null ? null : Math.round(x * 1000) / 1000
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- run -----------------------------------------------------------------------------------
const hardLimit = (num('connect-timeout') + WARMUP + SECONDS + DRAIN + 15) * 1000
setTimeout(() => { console.log(JSON.stringify({ error: 'hard time limit hit' })); process.exit(3) }, hardLimit).unref()

for (const cl of clients) {
  observe(cl)
  const url = URLS[(cl.room + Number(cl.key)) % URLS.length]
  cl.provider = await makeProvider(`${o['room-prefix']}${cl.room}${o.suffix}`, cl.doc, url)
  cl.provider.onClose(() => { if (now() >= tStart) disconnects++ })
}
const tConnect = now()
const syncDeadline = tConnect + num('connect-timeout') * 1000
while (clients.some((cl) => !cl.provider.isSynced()) && now() < syncDeadline) await sleep(20)
const unsynced = clients.filter((cl) => !cl.provider.isSynced()).length
const connectS = (now() - tConnect) / 1000
if (unsynced) {
  console.log(JSON.stringify({ error: `${unsynced}/${clients.length} providers not synced after ${connectS.toFixed(1)}s` }))
  for (const cl of clients) cl.provider.destroy()
  process.exit(2)
}

const t0 = now()
tStart = t0 + WARMUP * 1000
tEnd = tStart + SECONDS * 1000
const timers = new Set()
const later = (f, ms) => { const h = setTimeout(() => { timers.delete(h); f() }, ms); timers.add(h) }
let cpu0

if (SAT) {
  // One edit in flight per room: client k edits as soon as it observes client k-1's (ping-pong for two).
  onDelivery = (cl, sender) => {
    if (Number(cl.key) === (sender + 1) % CLIENTS && now() < tEnd) queueMicrotask(() => edit(cl, now()))
  }
  later(() => { cpu0 = process.cpuUsage() }, WARMUP * 1000)
  for (const cl of clients) if (cl.key === '0') edit(cl, now())
} else {
  const interval = 1000 / RATE
  scheduling = clients.length
  clients.forEach((cl, i) => {
    let due = t0 + (i / clients.length) * interval // spread clients over one period
    const tick = () => {
      const t = now()
      while (due <= t && due < tEnd) { edit(cl, due); due += interval }
      if (due < tEnd) later(tick, Math.max(0, due - now()))
      else scheduling--
    }
    later(tick, due - t0)
  })
  later(() => { cpu0 = process.cpuUsage() }, WARMUP * 1000)
}

while (now() < tEnd) await sleep(Math.max(1, tEnd - now())) // timers may fire ~1 ms early
const cpu = process.cpuUsage(cpu0)
// Late timers may still send slots scheduled before tEnd: wait for them, then for deliveries.
const drainDeadline = now() + DRAIN * 1000
while ((scheduling > 0 || delivered < sent * (CLIENTS - 1)) && now() < drainDeadline) await sleep(10)
recording = false
for (const h of timers) clearTimeout(h)
const expected = sent * (CLIENTS - 1)

latencies.sort((a, b) => a - b)
sendLags.sort((a, b) => a - b)
const out = {
  mode: SAT ? 'saturate' : 'paced',
  protocol: o.protocol,
  deflate: o.deflate,
  url: o.url,
  servers: URLS.length,
  rooms: ROOMS,
  clients: CLIENTS,
  rate: SAT ? null : RATE,
  seconds: SECONDS,
  sent,
  expected_deliveries: expected,
  delivered,
  delivered_per_s: r3(delivered / SECONDS),
  p50_ms: r3(pct(latencies, 50)),
  p90_ms: r3(pct(latencies, 90)),
  p99_ms: r3(pct(latencies, 99)),
  max_ms: r3(latencies.at(-1)),
  send_lag_p99_ms: r3(pct(sendLags, 99)),
  disconnects,
  connect_s: r3(connectS),
  cpu_load_generator_s: r3((cpu.user + cpu.system) / 1e6)
}
console.log(JSON.stringify(out))
for (const cl of clients) cl.provider.destroy()
setTimeout(() => process.exit(0), 200).unref()
