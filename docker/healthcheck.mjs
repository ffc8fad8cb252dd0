// The image's HEALTHCHECK: GETs logpod's probe endpoints with node itself (slim
// images have no curl). Exit 0 only when every path answers 200 within the
// timeout, 1 otherwise, with one line saying why (Docker keeps it in `inspect`).
//
//   node /app/docker/healthcheck.mjs [PATH...]        default: /startupz /livez
//   LOGPOD_PROBE_URL=http://127.0.0.1:8686            where the probe server listens
import http from 'node:http';

const base = process.env.LOGPOD_PROBE_URL || 'http://127.0.0.1:8686';
const paths = process.argv.length > 2 ? process.argv.slice(2) : ['/startupz', '/livez'];
const TIMEOUT_MS = 4000;

function probe(path) {
  return new Promise((resolve) => {
    const url = new URL(path, base);
    const req = http.get(url, { timeout: TIMEOUT_MS }, (res) => {
      res.resume();
      res.on('end', () => resolve({ path, ok: res.statusCode === 200, why: `${res.statusCode}` }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', (err) => resolve({ path, ok: false, why: err.message }));
  });
}

const results = [];
for (const path of paths) results.push(await probe(path));
const failed = results.filter((r) => !r.ok);
for (const r of results) console.log(`${r.path} ${r.why}`);
process.exit(failed.length === 0 ? 0 : 1);
