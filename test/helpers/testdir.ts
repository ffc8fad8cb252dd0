// Scratch directories for tests: tap's t.testdir() (under .tap/fixtures,
// removed when the test ends), with a fresh subdirectory per call, so a
// helper that makes a directory may be called more than once in one test
// (a second t.testdir() would empty the first).

import { mkdtempSync } from 'node:fs';
import path from 'node:path';
import type { Test } from 'tap';

const roots = new WeakMap<Test, string>();

export function scratchDir(t: Test, prefix = 'dir-'): string {
  let root = roots.get(t);
  if (root === undefined) {
    root = t.testdir();
    roots.set(t, root);
  }
  return mkdtempSync(path.join(root, prefix));
}
