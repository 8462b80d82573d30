#!/usr/bin/env node
// The headless entry. Runs the TypeScript sources through tsx, so `npx workbench` works right
// after `npm ci` with no build step; worker threads get the same loader (see src/cli/node-worker.ts).
import { register } from 'tsx/esm/api';

// A closed pipe (`workbench … | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
