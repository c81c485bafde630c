import { eventFrame } from '../protocol/frames.ts';
import { relayMessage } from '../metrics/registry.ts';

/**
 * The ["EVENT",<subId>,<event>] frames of one broadcast, each built once per distinct
 * subscription id and shared by every connection that used that id (clients tend to pick the
 * same few ids): 10,000 subscriptions cost a handful of buffers, not 10,000 copies of the event.
 * The transports copy a frame into each socket's own buffer, so sharing one is safe.
 */
export class EventFrames {
  private readonly built = new Map<string, Buffer>();
  private reused = 0;

  constructor(private readonly json: Buffer) {}

  for(subId: string): Buffer {
    const known = this.built.get(subId);
    if (known) {
      this.reused++;
      return known;
    }
    const frame = eventFrame(subId, this.json);
    this.built.set(subId, frame);
    return frame;
  }

  /** Counts the shared copies as sent messages (eventFrame counted the ones it built). */
  done(): void {
    if (this.reused > 0) relayMessage.EVENT.inc(this.reused);
    this.reused = 0;
  }
}
