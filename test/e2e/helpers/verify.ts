// The check every case ends with. The truth is nginx's logs: the witness log
// (never rotated) and the files the agent tails, rotated ones included. Waits
// until Elasticsearch holds every request id, stops agent and writer cleanly,
// then asserts: each id exactly once, none missing, none unknown, nothing in
// the dead-letter topic, sampled lines parsed right field by field, junk
// tagged. Prints: written, indexed, duplicates, lost, time to catch up.

import type { Test } from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import type { E2eCase, InjectedLine } from './e2e-case.js';
import { countDocs, countsByPath, docsByPath, docsTagged } from './es-check.js';
import { topicMessages } from '../../services/index.js';
import {
  actualFields,
  expectedFields,
  readLines,
  readLogDir,
  requestId,
  type LogLine,
} from './nginx-log.js';

export interface VerifyOptions {
  /** When the load and the fault were over: the catch-up time counts from here. */
  since: number;
  /**
   * copytruncate loses what nginx writes between the copy and the truncate: those
   * lines are in the witness log only. They may or may not reach Elasticsearch;
   * everything still on disk must.
   */
  copytruncate?: boolean;
  timeoutMs?: number;
}

export interface Summary {
  written: number;
  indexed: number;
  duplicates: number;
  lost: number;
  unknown: number;
  catchUpMs: number;
}

function idsOf(lines: LogLine[], caseName: string): Map<string, LogLine[]> {
  const ids = new Map<string, LogLine[]>();
  for (const line of lines) {
    const id = requestId(line.raw, caseName);
    if (id !== undefined) ids.set(id, [...(ids.get(id) ?? []), line]);
  }
  return ids;
}

function repeated(ids: Map<string, unknown[]>): string[] {
  return [...ids].filter(([, v]) => v.length > 1).map(([k]) => k);
}

/**
 * The lines to check field by field: a run of consecutive scripted requests (they cycle
 * through methods, statuses, body sizes, IPv4/IPv6, user agents, referrers), plus a few
 * spread over the whole case, scripted and load tool alike.
 */
function sample(ids: string[]): string[] {
  const num = (id: string) => Number(/(\d+)$/.exec(id)?.[1] ?? 0);
  const isScripted = (id: string) => /\/s\d+$/.test(id);
  const scripted = ids.filter(isScripted).sort((a, b) => num(a) - num(b));
  const others = ids.filter((id) => !isScripted(id)).sort();
  const spread = (from: string[], k: number) =>
    from.length <= k
      ? from
      : Array.from({ length: k }, (_, i) => from[Math.floor((i * from.length) / k)]);
  const mid = Math.max(0, Math.floor(scripted.length / 2) - 13);
  return [
    ...new Set([...scripted.slice(mid, mid + 26), ...spread(scripted, 8), ...spread(others, 8)]),
  ];
}

async function waitForAll(
  c: E2eCase,
  must: Set<string>,
  junk: number,
  o: VerifyOptions,
): Promise<number | undefined> {
  const until = Date.now() + (o.timeoutMs ?? 180_000);
  while (Date.now() < until) {
    // A process that exited on its own will not catch up: the checks below say which.
    if (c.agent.unexpectedExits.length > 0 || c.writer.unexpectedExits.length > 0) break;
    const count = await countDocs(c.es, c.indexPattern);
    if (count !== undefined && count >= must.size + junk) {
      const found = await countsByPath(c.es, c.indexPattern);
      let missing = 0;
      for (const id of must) if (!found.has(id)) missing++;
      if (missing === 0) return Date.now() - o.since;
    }
    await sleep(1000);
  }
  return undefined;
}

export async function verifyCase(t: Test, c: E2eCase, o: VerifyOptions): Promise<Summary> {
  const witness = idsOf(await readLines(c.nginx.witnessLog), c.name);
  const files = await readLogDir(c.nginx.logDir);
  const onDisk = idsOf(files, c.name);
  const injectedIds = c.injected.flatMap((l) => (l.id === undefined ? [] : [l.id]));
  const junk = c.injected.filter((l) => l.id === undefined);
  t.same(repeated(witness), [], 'the test sent each request id once');
  t.same(repeated(onDisk), [], "each request id is once in nginx's log files");

  const allowed = new Set([...witness.keys(), ...injectedIds]);
  const must = o.copytruncate ? new Set(onDisk.keys()) : allowed;
  if (!o.copytruncate) {
    t.same(
      [...onDisk.keys()].filter((id) => !allowed.has(id)),
      [],
      'the log files hold only what nginx logged and the test appended',
    );
    t.equal(onDisk.size, allowed.size, 'the log files, rotated ones included, hold every line');
  }

  const catchUpMs = await waitForAll(c, must, junk.length, o);
  t.ok(catchUpMs !== undefined, 'Elasticsearch caught up with every request nginx logged');
  // A clean stop of both ends is part of the promise; it also makes the counts final.
  t.match(await c.agent.kill('SIGTERM'), { code: 0 }, 'the agent stops cleanly on SIGTERM');
  t.match(await c.writer.kill('SIGTERM'), { code: 0 }, 'the writer stops cleanly on SIGTERM');
  t.same(c.agent.unexpectedExits, [], 'the agent never exited on its own');
  t.same(c.writer.unexpectedExits, [], 'the writer never exited on its own');

  const found = await countsByPath(c.es, c.indexPattern);
  const lost = [...must].filter((id) => !found.has(id));
  const duplicated = [...found].filter(([, n]) => n > 1);
  const unknown = [...found.keys()].filter((id) => !allowed.has(id));
  const duplicates = duplicated.reduce((sum, [, n]) => sum + n - 1, 0);
  t.same(lost.slice(0, 20), [], 'no request is missing from Elasticsearch');
  t.same(duplicated.slice(0, 20), [], 'no request is in Elasticsearch twice');
  t.same(unknown.slice(0, 20), [], 'Elasticsearch holds no request nginx did not log');
  t.equal(await topicMessages(c.dlq), 0, 'nothing went to the dead-letter topic');

  await spotCheck(t, c, onDisk);
  const junkFound = c.injected.length > 0 ? await checkInjected(t, c, found) : [];

  const summary: Summary = {
    written: allowed.size + junk.length,
    indexed: [...must].filter((id) => found.has(id)).length + junkFound.filter((n) => n > 0).length,
    duplicates: duplicates + junkFound.reduce((sum, n) => sum + Math.max(0, n - 1), 0),
    lost: lost.length + junkFound.filter((n) => n === 0).length,
    unknown: unknown.length,
    catchUpMs: catchUpMs ?? NaN,
  };
  const extra = o.copytruncate
    ? ` (copytruncate: ${allowed.size - must.size} lines gone from disk before a copy, ` +
      `${[...allowed].filter((id) => !must.has(id) && found.has(id)).length} of them still indexed)`
    : '';
  const caughtUp =
    catchUpMs === undefined
      ? 'never caught up'
      : `caught up ${(catchUpMs / 1000).toFixed(1)} s after the load and the fault ended`;
  t.comment(
    `${c.name}: written ${summary.written}, indexed ${summary.indexed}, ` +
      `duplicates ${summary.duplicates}, lost ${summary.lost}, ${caughtUp}${extra}`,
  );
  return summary;
}

/** Sampled lines, each field of the document against the raw line. */
async function spotCheck(t: Test, c: E2eCase, onDisk: Map<string, LogLine[]>): Promise<void> {
  const injected = new Set(c.injected.map((l) => l.id));
  const ids = sample([...onDisk.keys()].filter((id) => !injected.has(id)));
  const docs = await docsByPath(c.es, c.indexPattern, ids);
  const expected = [];
  const actual = [];
  for (const id of ids) {
    const raw = onDisk.get(id)![0].raw;
    const want = expectedFields(raw, c.format);
    const doc = docs.get(id)?.[0] ?? {};
    expected.push({ id, ...want, 'event.original': raw.toString('utf8') });
    const original = (doc.event as { original?: string } | undefined)?.original;
    actual.push({ id, ...actualFields(doc, want), 'event.original': original });
  }
  t.same(actual, expected, `${ids.length} sampled lines parsed right, field by field`);
}

/** The line's expected tags its document lacks (enrichers may add tags of their own). */
function missingTags(doc: Record<string, unknown> | undefined, line: InjectedLine): string[] {
  const tags = (doc?.tags as string[] | undefined) ?? [];
  return line.tags.filter((tag) => !tags.includes(tag));
}

/**
 * Appended junk: lines with a request id are indexed and tagged, the others found by
 * marker. Returns how many documents each line without an id has.
 */
async function checkInjected(t: Test, c: E2eCase, found: Map<string, number>): Promise<number[]> {
  const withId = c.injected.filter((l) => l.id !== undefined);
  const docs = await docsByPath(
    c.es,
    c.indexPattern,
    withId.map((l) => l.id!),
  );
  for (const line of withId) {
    const doc = docs.get(line.id!)?.[0];
    t.equal(found.get(line.id!), 1, `appended line ${line.id} indexed once`);
    t.same(missingTags(doc, line), [], `appended line ${line.id} tagged ${line.tags}`);
  }
  const failures = await docsTagged(c.es, c.indexPattern, '_parse_failure');
  const counts: number[] = [];
  for (const line of c.injected.filter((l) => l.marker !== undefined)) {
    const matching = failures.filter((d) =>
      ((d.event as { original?: string }).original ?? '').startsWith(line.marker!),
    );
    counts.push(matching.length);
    t.equal(matching.length, 1, `junk ${line.marker} indexed once`);
    t.same(missingTags(matching[0], line), [], `junk ${line.marker} tagged ${line.tags}`);
  }
  return counts;
}
