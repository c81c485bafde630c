import type { ProtocolContext } from '../context.ts';
import type { Session } from '../session.ts';
import { readContextFor } from '../readContext.ts';
import { admitNegOpen } from '../request.ts';
import { negErrFrame, negMsgFrame } from '../../sync/frames.ts';
import { negLimits } from '../../sync/limits.ts';
import { recordSetWork } from '../../sync/recordSet.ts';
import { Meter, type Work } from '../../store/work.ts';
import type { NegentropyStorageVector } from '../../sync/negentropy.ts';
import { runRead } from '../readQueue.ts';
import { tooExpensive } from '../budget.ts';
import { NEG_VERSION, NegentropyResponder, versionOf } from '../../sync/responder.ts';
import { addNegSession, beginOpen, closeNegSession, heldRecords, negSessions } from '../../sync/sessions.ts';
import { armIdleTimer } from './negMsg.ts';

/**
 * ["NEG-OPEN", <subid>, <filter>, <initial hex>] (NIP-77): the first reply of a reconciliation.
 * The record set is read in turns with other connections' reads; over limits.maxCountScan of work
 * it is refused with NEG-ERR.
 */
export async function handleNegOpen(relay: ProtocolContext, s: Session, msg: unknown[]): Promise<void> {
  // NIP-77: an open subid is closed first, and a NEG-OPEN still in progress is superseded.
  if (typeof msg[1] !== 'string') return void (await admitNegOpen(relay, s, msg));
  closeNegSession(s, msg[1]);
  const attempt = beginOpen(s, msg[1]);
  try {
    await open(relay, s, msg, attempt.current);
  } finally {
    attempt.done();
  }
}

async function open(relay: ProtocolContext, s: Session, msg: unknown[], current: () => boolean): Promise<void> {
  const admitted = await admitNegOpen(relay, s, msg);
  if (!admitted) return;
  const { subId, filters, initial } = admitted;
  const refuse = (reason: string) => {
    s.noteRejection(reason);
    s.send(negErrFrame(subId, reason));
  };
  const version = versionOf(initial);
  if (version === 'unsupported') return void s.send(negMsgFrame(subId, NEG_VERSION.toString(16)));
  if (version === 'invalid') return refuse('invalid: not a negentropy message');
  const limits = negLimits(relay.config);
  const meter = new Meter(relay.config.limits.maxCountScan);
  const ctx = readContextFor(relay, s);
  // Sessions and the relay-wide room are checked when the read starts, behind this connection's earlier reads.
  let room = 0;
  function* build(): Work<NegentropyStorageVector | 'too-many' | 'too-many-sessions'> {
    if (negSessions(s).size >= limits.maxSessions) return 'too-many-sessions';
    // Every open set is held in memory until closed or idle: a relay-wide budget bounds them.
    room = limits.relayBudget - heldRecords();
    return yield* recordSetWork(relay.store.tables, filters, ctx, Math.max(0, Math.min(limits.maxRecords, room)), meter);
  }
  const storage = await runRead(s, build, { sliceMs: relay.config.limits.querySliceMs, cancelled: () => s.closed || !current() });
  if (storage === undefined || s.closed || !current()) return;
  if (storage === 'too-many-sessions') return refuse(`rate-limited: too many open negentropy sessions (max ${limits.maxSessions})`);
  if (meter.over) return refuse(tooExpensive(meter));
  if (storage === 'too-many') {
    if (room < limits.maxRecords) return refuse('rate-limited: the relay is busy with other syncs; try again later');
    return refuse(`blocked: too many records to sync with this filter (max ${limits.maxRecords}); narrow it with since/until`);
  }
  const neg = new NegentropyResponder(storage, limits.frameSizeLimit);
  let reply: string;
  try {
    reply = neg.respond(initial);
  } catch (err) {
    return refuse(`invalid: ${(err as Error).message}`);
  }
  addNegSession(s, subId, { neg, timer: armIdleTimer(s, subId, limits.idleMs), size: storage.size() });
  s.send(negMsgFrame(subId, reply));
}
