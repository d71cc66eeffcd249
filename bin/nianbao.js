#!/usr/bin/env node
// Runs the TypeScript CLI straight from the checkout: tsx compiles on the fly, so `npx nianbao`
// works with no build step.
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv);
