// Worker thread: signs events [from, to) of a corpus and posts their JSON back, '\n'-joined.
import { parentPort, workerData } from 'node:worker_threads';
import { authorKeys, templateFor, type CorpusSpec } from './corpus.ts';
import { loadSigner, signToJson } from './sign.ts';

const signer = loadSigner();
const keysBySet = new Map<string, ReturnType<typeof authorKeys>>();

parentPort!.on('message', (job: { spec: CorpusSpec; from: number; to: number }) => {
  const setKey = `${job.spec.label}/${job.spec.authors}`;
  let keys = keysBySet.get(setKey);
  if (!keys) keysBySet.set(setKey, (keys = authorKeys(job.spec)));
  const out: string[] = [];
  for (let i = job.from; i < job.to; i++) {
    const { author, template } = templateFor(job.spec, i);
    out.push(signToJson(signer, keys[author]!, template));
  }
  parentPort!.postMessage(out.join('\n'));
});
void workerData;
