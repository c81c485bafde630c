#!/usr/bin/env node
// Hamlet is written in TypeScript and run through tsx's loader: no build step to forget.
import { register } from 'tsx/esm/api';

register();
await import('../cli/main.ts');
