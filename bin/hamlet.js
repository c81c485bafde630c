#!/usr/bin/env node
// Hamlet is written in TypeScript: no build step to forget. The CLI runs from a bundle esbuild
// makes of the sources on first use of each version (relay/util/bundle.mjs: no tsx loader
// thread, a smaller and faster process); where none can be written, through tsx's loader.
import { bundleModule } from '../relay/util/bundle.mjs';

const main = new URL('../cli/main.ts', import.meta.url);
let bundle;
try {
  bundle = await bundleModule(main);
} catch (err) {
  if (process.env.HAMLET_DEBUG) console.error(`hamlet: running through tsx (no bundle: ${err.message})`);
}
if (bundle) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(main.href);
}
