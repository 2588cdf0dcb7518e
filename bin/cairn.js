#!/usr/bin/env node
// Cairn runs on Node.js 24, which the project installs as a dependency. When this command is
// started by an older Node (the system one, say), it hands over to the installed Node 24.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const node24 = fileURLToPath(new URL('../node_modules/node/bin/node', import.meta.url));
  if (!existsSync(node24)) {
    console.error('Cairn needs Node.js 24. Run `npm install` in the Cairn folder first.');
    process.exit(1);
  }
  const child = spawn(node24, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Pass stop signals on, so a supervisor stopping this process stops Cairn gracefully.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await import('../src/cli/main.ts');
}
