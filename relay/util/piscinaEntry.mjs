// Entry of every piscina worker. Piscina imports `filename` by path, and Node 20 workers do not
// inherit the tsx loader, so this plain-JS file registers tsx and re-exports the default export
// of the TypeScript module named in the pool's workerData ({ entry: file URL }).
import { register } from 'tsx/esm/api';
import { workerData } from 'piscina';

register();
const worker = await import(workerData.entry);
export default worker.default;
