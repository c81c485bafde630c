// Entry file of a pool worker. Piscina imports its `filename` by path (a data: URL such as
// relay/util/tsWorker.ts makes is not accepted), and Node 20 workers do not inherit the tsx
// loader, so this plain-JS file registers tsx and re-exports the TypeScript worker's handler.
import { register } from 'tsx/esm/api';

register();
const worker = await import('./worker.ts');
export default worker.default;
