#!/usr/bin/env node
// Says which Node.js the npm scripts run on, and stops them on one older than
// package.json's `engines`. `npm install` installs the pinned Node (the `node`
// devDependency) into node_modules/.bin, which npm puts first on every npm
// script's PATH, so `npm start` and `npm test` run on it whatever the system has.
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const minimum = Number(/\d+/.exec(pkg.engines.node)?.[0]);

/** `node v24.21.0 (/path/to/node)`, or an error when this Node is older than engines allows. */
export function nodeVersionLine() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < minimum)
    throw new Error(
      `logpod needs Node.js ${pkg.engines.node}; this is ${process.version} (${process.execPath}). ` +
        'Run it through npm (npm start, npm test, npm run ...), which uses the Node that `npm install` put in node_modules/.bin.',
    );
  return `node ${process.version} (${process.execPath})`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    process.stdout.write(`${nodeVersionLine()}\n`);
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  }
}
