// Runs inside a worker thread: loads the 'auto' verifier there and reports its name and one answer.
import { parentPort, workerData } from 'node:worker_threads';
import { loadVerifier } from '../../relay/verify/select.ts';

const v = await loadVerifier(workerData.choice);
const [sig, msg, pubkey] = (workerData.vector as string[]).map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
parentPort!.postMessage({ name: v.name, valid: v.verify(sig!, msg!, pubkey!) });
