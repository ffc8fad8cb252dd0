// --tour: the faults the design promises to survive, while traffic flows. Kafka
// stops for 20 s and comes back, then Elasticsearch; then the traffic stops and
// the tour waits until Elasticsearch holds every line nginx logged, and prints the
// counts the end-to-end suite prints: written, indexed, duplicates, lost.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { countLines } from './count.js';
import { startService, stopService } from './services.js';

const OUTAGE_MS = 20_000;
const BETWEEN_MS = 10_000;
const CATCH_UP_MS = 300_000;

/** Resolves true when every line is in Elasticsearch exactly once. */
export async function runTour(demo, say) {
  const signal = demo.ending.signal;
  const pause = (ms) => sleep(ms, undefined, { signal });
  const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const down = new Set();
  try {
    say(
      `tour: traffic flows for ${BETWEEN_MS / 1000} s, then each service goes down for ${OUTAGE_MS / 1000} s`,
    );
    await pause(BETWEEN_MS);
    for (const name of ['kafka', 'elasticsearch']) {
      say(`tour: stopping ${name} (nginx keeps serving; the agent and the writer wait)`);
      down.add(name);
      await stopService(demo.services, name);
      await pause(OUTAGE_MS);
      const began = Date.now();
      await startService(demo.services, name, () => {});
      down.delete(name);
      say(`tour: ${name} is back (restarted in ${secs(Date.now() - began)})`);
      await pause(BETWEEN_MS);
    }
    say('tour: stopping the traffic, waiting for Elasticsearch to hold every line nginx logged');
    await demo.children.traffic.stop('SIGTERM', 10_000);
    // nginx writes a line when the response is done: the last ones are on disk by now.
    await pause(1_000);
    const access = join(demo.logDir, 'access.log');
    const since = Date.now();
    let c;
    let why;
    for (;;) {
      c = await countLines(demo.ends.esUrl, demo.names.indexPattern, access).catch((err) => {
        why = err.message;
        return undefined;
      });
      if (c && c.lost === 0) break;
      if (Date.now() - since > CATCH_UP_MS) break;
      await pause(2_000);
    }
    if (!c) {
      say(`tour: could not count: ${why}`);
      return false;
    }
    const caught =
      c.lost === 0
        ? `caught up ${secs(Date.now() - since)} after the traffic stopped`
        : 'never caught up';
    say(
      `tour: written ${c.written}, indexed ${c.indexed}, duplicates ${c.duplicates}, ` +
        `lost ${c.lost}${c.unknown ? `, unknown ${c.unknown}` : ''}, ${caught}`,
    );
    const ok = c.lost === 0 && c.duplicates === 0 && c.unknown === 0;
    say(ok ? 'tour: every request nginx logged is in Elasticsearch exactly once' : 'tour: FAILED');
    return ok;
  } catch (err) {
    if (signal.aborted) return false;
    say(`tour: FAILED: ${err.message}`);
    return false;
  } finally {
    // Interrupted mid-outage: a service the demo did not start is brought back, as found.
    for (const name of down)
      if (!demo.started.some((s) => s.name === name))
        await startService(demo.services, name, () => {}).catch(() => {});
  }
}
