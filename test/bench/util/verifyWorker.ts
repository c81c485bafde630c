// Worker thread: verifies the given samples with one verifier for `ms` and reports the count.
import { parentPort, workerData } from 'node:worker_threads';
import { createVerifier } from '../../../relay/verify/select.ts';

const { name, samples, ms } = workerData as { name: 'native'; samples: Array<[Uint8Array, Uint8Array, Uint8Array]>; ms: number };
const v = await createVerifier(name);
parentPort!.postMessage('ready');
parentPort!.once('message', () => {
  const t0 = performance.now();
  let n = 0, elapsed = 0;
  do {
    for (let k = 0; k < 50; k++, n++) {
      const s = samples[n % samples.length]!;
      if (!v.verify(s[0], s[1], s[2])) throw new Error(`${name} rejected a valid signature`);
    }
    elapsed = performance.now() - t0;
  } while (elapsed < ms);
  parentPort!.postMessage({ n, elapsed });
});
