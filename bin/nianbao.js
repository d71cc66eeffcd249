#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout: tsx compiles on the fly, so `npx nianbao`
// works with no build step.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// V8 lets a busy heap grow to several times what is live before a full collection: a 30-site crawl held
// ~120 MB live in a 420 MB main heap. Growing by at most 20 % per collection keeps every thread's heap
// (the parse and pdf.js threads too: the flag is per process) near its live size, for a few % more GC work.
setFlagsFromString('--heap-growing-percent=20');
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
