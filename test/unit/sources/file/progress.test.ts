import t from 'tap';
import {
  formatBytes,
  formatProgress,
  startProgress,
} from '../../../../src/sources/file/progress.js';
import type { FileInputStats } from '../../../../src/sources/file/types.js';
import { waitFor } from './helpers.js';

function source(state: { read: number; backlog: number }) {
  return {
    stats: () => ({ bytesRead: state.read, backlogBytes: state.backlog }) as FileInputStats,
  };
}

t.test('formats done / total, rate and ETA', async (t) => {
  t.equal(
    formatProgress(5_000_000, 20_000_000, 2_000),
    'catching up: 5.0 MB / 20.0 MB (25%), 2.5 MB/s, ETA 6s',
  );
  t.equal(formatProgress(10, 10, 1_000), 'catching up: 10 B / 10 B (100%), 10 B/s, ETA 0s');
  t.equal(formatBytes(1_500_000_000), '1.5 GB');
});

t.test('on a TTY one line is redrawn in place and ended once the backlog is read', async (t) => {
  const state = { read: 100, backlog: 1000 };
  const writes: string[] = [];
  const progress = startProgress(
    [source(state)],
    { isTTY: true, write: (s) => writes.push(s) > 0 },
    { intervalMs: 5 },
  );
  t.teardown(() => progress.stop());
  await waitFor(() => writes.length >= 1, 2000, 'first draw');
  state.read = 600;
  state.backlog = 500;
  await waitFor(() => writes.some((w) => w.includes('500 B / 1.0 KB')), 2000, 'progress');
  state.read = 1100;
  state.backlog = 0;
  await waitFor(() => writes[writes.length - 1] === '\n', 2000, 'final newline');
  t.ok(
    writes.slice(0, -1).every((w) => w.startsWith('\r\x1b[2K')),
    'each draw overwrites the line',
  );
  t.match(writes[writes.length - 2], /1\.0 KB \/ 1\.0 KB \(100%\)/);
  const count = writes.length;
  await new Promise((r) => setTimeout(r, 30));
  t.equal(writes.length, count, 'silent after catching up');
});

t.test('silent when not a TTY', async (t) => {
  const writes: string[] = [];
  const progress = startProgress(
    [source({ read: 0, backlog: 10 })],
    { isTTY: false, write: (s) => writes.push(s) > 0 },
    { intervalMs: 5 },
  );
  await new Promise((r) => setTimeout(r, 30));
  progress.stop();
  t.same(writes, []);
});
