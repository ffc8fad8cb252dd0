// state.json: what the harness started (pids, ports, URLs), shared by the CLI and the
// tests. Written atomically (temp file + rename) and only under the work-dir lock, so
// two processes that start or stop services at once never lose each other's entries.
import {
  closeSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { isAlive, sleep } from './jvm-process.js';

/** @param {string} statePath */
export function readState(statePath) {
  try {
    return JSON.parse(readFileSync(statePath, 'utf8'));
  } catch (err) {
    if (err.code === 'ENOENT') return {};
    throw new Error(`cannot read ${statePath}: ${err.message}`, { cause: err });
  }
}

/**
 * Replaces one service's entry (or removes it when entry is null), under the state lock.
 * @param {string} statePath
 * @param {'kafka' | 'elasticsearch'} service
 * @param {object | null} entry
 */
export async function writeServiceState(statePath, service, entry) {
  await withLock(dirname(statePath), 'state', async () => {
    const state = readState(statePath);
    if (entry) state[service] = entry;
    else delete state[service];
    const tmp = `${statePath}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`);
    renameSync(tmp, statePath);
  });
}

/**
 * Runs fn while holding an exclusive lock file in dir; a lock whose holder died is
 * taken over. Waits up to timeoutMs for a live holder to finish.
 * @template T
 * @param {string} dir
 * @param {string} name
 * @param {() => Promise<T>} fn
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export async function withLock(dir, name, fn, timeoutMs = 300_000) {
  mkdirSync(dir, { recursive: true });
  const lockPath = join(dir, `${name}.lock`);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (err) {
      if (err.code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(lockPath, 'utf8'));
      } catch {
        continue;
      }
      if (Number.isInteger(holder) && holder > 0 && !isAlive(holder)) {
        rmSync(lockPath, { force: true });
        continue;
      }
      if (Date.now() > deadline) {
        throw new Error(`timed out waiting for ${lockPath} (held by pid ${holder})`);
      }
      await sleep(200);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lockPath, { force: true });
  }
}
