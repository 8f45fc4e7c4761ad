// A real Yjs client (npm yjs + y-websocket) against the Dealroom server.
// Usage: node interop.mjs MODE WS_BASE TOKEN   (WS_BASE = ws://host:port/ws/rooms/ROOM_ID)
//   roundtrip: sync, write "from node", show presence, wait for "from python" and its presence.
//   forbidden: write the server-only `computed` section and report how the server refused it.
// Prints one JSON line with what it saw; exits non-zero on a timeout.
import WebSocket from 'ws'
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'

const [mode, base, token] = process.argv.slice(2)
const deadline = setTimeout(() => { console.log(JSON.stringify({ error: 'timeout', mode })); process.exit(2) }, 20000)

class BearerWebSocket extends WebSocket {
  constructor (url, protocols) {
    super(url, protocols, { headers: { Authorization: `Bearer ${token}` } })
  }
}

const doc = new Y.Doc()
const provider = new WebsocketProvider(base, 'shared', doc, { WebSocketPolyfill: BearerWebSocket, disableBc: true })
const closes = []
provider.on('connection-close', (event) => { if (event) closes.push({ code: event.code, reason: event.reason }) })

const until = (check) => new Promise((resolve) => {
  const tick = () => { if (check()) resolve(); else setTimeout(tick, 10) }
  tick()
})

await until(() => provider.synced)
const terms = doc.getXmlFragment('terms')
const title = doc.getMap('deal').get('title')

function finish (result) {
  clearTimeout(deadline)
  console.log(JSON.stringify(result))
  provider.destroy()
  setTimeout(() => process.exit(0), 50)
}

if (mode === 'roundtrip') {
  provider.awareness.setLocalStateField('user', { name: 'node client', color: '#0a0' })
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('from node')])
  terms.insert(terms.length, [paragraph])
  await until(() => terms.toString().includes('from python'))
  const others = () => [...provider.awareness.getStates().entries()]
    .filter(([id, state]) => id !== doc.clientID && state.user)
  await until(() => others().length > 0)
  finish({
    title,
    terms: terms.toString(),
    presence: others().map(([, state]) => state.user),
    stampedSelf: provider.awareness.getLocalState().user
  })
} else if (mode === 'forbidden') {
  doc.getMap('computed').set('total', '0.00')
  await until(() => closes.length > 0)
  finish({ title, close: closes[0] })
} else {
  console.error(`unknown mode ${mode}`)
  process.exit(64)
}
