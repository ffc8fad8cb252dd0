// `logpod status`: fetch /status from a running logpod and print it as tables (or the
// raw JSON). Exit 0 when it answered, 1 when it cannot be reached or answers an error.

import { configSchema } from '../config/schema.js';
import { ExitCodes } from '../errors.js';
import type { StatusDocument } from '../server/status-document.js';
import { formatStatus } from '../server/status-table.js';
import { parseFlags, usageError } from './args.js';
import { STATUS_HELP } from './usage.js';

export interface StatusIo {
  out: { write(text: string): unknown };
  err: { write(text: string): unknown };
}

/** The probe server where a config that leaves server.listen alone puts it. */
const DEFAULT_URL = `http://${configSchema.properties.server.properties.listen.default}`;

export async function statusCommand(
  argv: string[],
  io: StatusIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const flags = parseFlags(argv, {
    url: { type: 'string', short: 'u' },
    json: { type: 'boolean' },
    timeout: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.out.write(STATUS_HELP);
    return ExitCodes.OK;
  }
  const timeoutMs = flags.timeout === undefined ? 5000 : Number(flags.timeout);
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0)
    throw usageError('--timeout must be a positive number of ms');
  const target = statusUrl(flags.url ?? DEFAULT_URL);

  let response: Response;
  let text: string;
  try {
    const token = process.env.LOGPOD_DASHBOARD_TOKEN;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    response = await fetch(target, { headers, signal: AbortSignal.timeout(timeoutMs) });
    text = await response.text();
  } catch (err) {
    io.err.write(`logpod: cannot reach logpod at ${target}: ${describe(err, timeoutMs)}\n`);
    io.err.write('  is it running with server.enabled, and does --url match server.listen?\n');
    return ExitCodes.FAILURE;
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    doc = undefined;
  }
  if (!response.ok) {
    const reason = (doc as { error?: unknown } | undefined)?.error ?? text.trim().slice(0, 200);
    io.err.write(`logpod: ${target} answered ${response.status}: ${String(reason)}\n`);
    return ExitCodes.FAILURE;
  }
  if (!isStatusDocument(doc)) {
    io.err.write(`logpod: ${target} did not answer with logpod's status (is it logpod?)\n`);
    return ExitCodes.FAILURE;
  }
  io.out.write(flags.json ? `${JSON.stringify(doc, null, 2)}\n` : formatStatus(doc, target.origin));
  return ExitCodes.OK;
}

/** http://host:port -> http://host:port/status; a URL already ending in /status is kept. */
function statusUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.includes('://') ? raw : `http://${raw}`);
  } catch {
    throw usageError(`--url ${JSON.stringify(raw)} is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw usageError('--url must be http:// or https://');
  if (!url.pathname.endsWith('/status'))
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/status`;
  return url;
}

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError')
    return `no answer within ${timeoutMs} ms`;
  return e.cause?.code ?? e.cause?.message ?? e.message;
}

function isStatusDocument(doc: unknown): doc is StatusDocument {
  const d = doc as Partial<StatusDocument> | null;
  return typeof d === 'object' && d !== null && d.name === 'logpod' && typeof d.probes === 'object';
}
