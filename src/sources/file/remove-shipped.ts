// remove_after: a rotated file (renamed, or moved out of the patterns) whose
// every line is acknowledged is deleted once it has been quiet for the given
// time, so a log volume holds what is not shipped yet and little more. Never
// a live file, never a file with a line not acknowledged, and never whatever
// else the path names by then (dev/ino are checked right before the unlink).

import { lstat, unlink } from 'node:fs/promises';
import { FileKey } from './identity.js';
import type { Harvester } from './harvester.js';

/** Whether `h` may be deleted now: rotated, read to its end, all acknowledged, quiet long enough. */
export function removable(h: Harvester, removeAfterMs: number, now: number): boolean {
  if (h.renamedAt === null || h.deleted || h.dropped || h.removeFailed) return false;
  const cursor = h.cursor;
  return (
    h.readOffset === h.size &&
    !h.framer.hasPartial &&
    cursor.acks.pending === 0 &&
    cursor.entry.offset === h.size &&
    now - Math.max(h.renamedAt, h.lastDataAt) >= removeAfterMs
  );
}

/**
 * Deletes the file at `h.path` if it still is `h`'s file. 'gone' when nothing
 * (or another file) is there: nothing to delete.
 */
export async function removeFile(h: Harvester): Promise<'removed' | 'gone'> {
  let st;
  try {
    st = await lstat(h.path, { bigint: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw err;
  }
  if (!st.isFile() || !FileKey.ofStats(st).equals(h.key)) return 'gone';
  await unlink(h.path);
  return 'removed';
}
