/** What the protocol needs from a WebSocket, whichever library carries it. */
export interface Socket {
  send(data: string | Buffer): void;
  /** Bytes queued but not yet written to the network. */
  bufferedAmount(): number;
  /** Groups sends into one write. */
  cork(fn: () => void): void;
  close(code: number, reason: string): void;
}
