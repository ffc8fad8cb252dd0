#!/usr/bin/env node
// Bundles the live dashboard page (web/dashboard/) with esbuild into dist/dashboard/public/:
// dashboard.js (the page with uPlot), dashboard.css (uPlot's and ours) and index.html.
// Everything the page needs is served by logpod itself: no CDN, nothing fetched elsewhere.
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = `${root}web/dashboard/`;
const out = `${root}dist/dashboard/public/`;

// uPlot is MIT licensed: its notice travels with the bundle that contains it.
const uplotLicense = await readFile(`${root}node_modules/uplot/LICENSE`, 'utf8');
const banner = `/*! logpod live dashboard. Bundles uPlot:\n${uplotLicense.trim().replaceAll('*/', '* /')}\n*/`;

await mkdir(out, { recursive: true });
await build({
  entryPoints: { dashboard: `${web}main.ts` },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  banner: { js: banner },
  logLevel: 'warning',
});
await build({
  entryPoints: { dashboard: `${web}dashboard.css` },
  outdir: out,
  bundle: true,
  minify: true,
  logLevel: 'warning',
});
await copyFile(`${web}index.html`, `${out}index.html`);

const sizes = [];
for (const name of ['index.html', 'dashboard.js', 'dashboard.css']) {
  sizes.push(`${name} ${((await stat(`${out}${name}`)).size / 1024).toFixed(1)} KiB`);
}
process.stdout.write(`dashboard built in dist/dashboard/public: ${sizes.join(', ')}\n`);
