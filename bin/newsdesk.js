#!/usr/bin/env node
// The project runs its TypeScript sources directly (no build step): tsx registers the loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
