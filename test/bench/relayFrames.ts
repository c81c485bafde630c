const enum Ch { E = 0x45, V = 0x56, Q = 0x22 }

/**
 * What a load-generator connection does with the relay's frames, shared by the `ws` Client
 * (loadgen.ts) and the lean subscriber (leanClient.ts): EVENT frames are never parsed, only
 * timestamped; the others are parsed and handed to their callback.
 */
export class RelayFrames {
  onOk: ((id: string, ok: boolean, message: string, at: number) => void) | null = null;
  onEvent: ((frame: Buffer, at: number) => void) | null = null;
  onEose: ((subId: string, at: number) => void) | null = null;
  onClosed: ((subId: string, message: string) => void) | null = null;
  onCount: ((subId: string, count: number, at: number) => void) | null = null;
  readonly notices: string[] = [];

  protected handleFrame(frame: Buffer, at: number): void {
    // Frames look like ["EVENT",... / ["OK",... / ["EOSE",...: peek at the verb's letters.
    if (frame[1] === Ch.Q && frame[2] === Ch.E && frame[3] === Ch.V) {
      this.onEvent?.(frame, at);
      return;
    }
    let msg: unknown[];
    try {
      msg = JSON.parse(frame.toString()) as unknown[];
    } catch {
      return;
    }
    switch (msg[0]) {
      case 'OK': this.onOk?.(String(msg[1]), msg[2] === true, String(msg[3] ?? ''), at); break;
      case 'EVENT': this.onEvent?.(frame, at); break;
      case 'EOSE': this.onEose?.(String(msg[1]), at); break;
      case 'CLOSED': this.onClosed?.(String(msg[1]), String(msg[2] ?? '')); break;
      case 'COUNT': this.onCount?.(String(msg[1]), Number((msg[2] as { count?: unknown } | undefined)?.count), at); break;
      case 'NOTICE': if (this.notices.length < 20) this.notices.push(String(msg[1])); break;
    }
  }
}
