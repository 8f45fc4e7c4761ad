/**
 * Knowing that the server has our edits. y-websocket has no acknowledgement, but the protocol gives
 * one: the server answers every sync step 1 with a step 2, and it handles one connection's messages
 * in order, each update stored before the next message is read (workspace/sync/connection.py). So a
 * step 1 sent after our edits is answered only once they are stored (or refused, which closes the
 * socket instead). The answers come in the order of the questions.
 *
 * The first step 2 on a connection answers y-websocket's own step 1 from `onopen`: it arrives before
 * the server has read our step 2 (the edits made offline), so it confirms nothing.
 */
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as syncProtocol from "y-protocols/sync";
import type { WebsocketProvider } from "y-websocket";

const MESSAGE_SYNC = 0;

type SyncHandler = WebsocketProvider["messageHandlers"][number];

export class ServerAcks {
  /** The mark each unanswered step 1 stands for, in order; null: y-websocket's own. */
  private asked: (number | null)[] = [];
  private readonly original: SyncHandler;

  constructor(
    private readonly provider: WebsocketProvider,
    private readonly onAck: (mark: number) => void,
  ) {
    this.original = provider.messageHandlers[MESSAGE_SYNC];
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, p, emitSynced, type) => {
      const kind = decoding.peekVarUint(decoder);
      this.original(encoder, decoder, p, emitSynced, type);
      if (kind === syncProtocol.messageYjsSyncStep2) this.answered();
    };
    provider.on("status", this.onStatus);
    provider.on("connection-close", this.onClose);
  }

  /** y-websocket sends its step 1 right after it says "connected". */
  private readonly onStatus = ({ status }: { status: string }): void => {
    this.asked = status === "connected" ? [null] : [];
  };

  private readonly onClose = (): void => {
    this.asked = [];
  };

  private answered(): void {
    const mark = this.asked.shift();
    if (mark !== undefined && mark !== null) this.onAck(mark);
  }

  /** Ask the server to confirm everything up to `mark`; false when there is no live socket to ask. */
  probe(mark: number): boolean {
    const ws = this.provider.ws;
    if (!this.provider.synced || !this.provider.wsconnected || !ws || ws.readyState !== ws.OPEN) return false;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(encoder, this.provider.doc);
    ws.send(encoding.toUint8Array(encoder));
    this.asked.push(mark);
    return true;
  }

  destroy(): void {
    this.provider.messageHandlers[MESSAGE_SYNC] = this.original;
    this.provider.off("status", this.onStatus);
    this.provider.off("connection-close", this.onClose);
    this.asked = [];
  }
}
