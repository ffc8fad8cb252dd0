// File identity: device + inode + a fingerprint of the first bytes. The
// fingerprint taken at first sight (length and hash) names the file for good;
// later checks verify that same prefix, so a file that grows keeps its id and
// a reused inode or a truncated-and-rewritten file does not.

import { createHash, randomBytes } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

export interface Fingerprint {
  /** Number of leading bytes hashed (at most fingerprint_bytes). */
  len: number;
  /** sha256 of those bytes, hex. */
  hash: string;
}

/** `dev:ino` from bigint stats, exact even for 64-bit inode numbers. */
export function fileKey(dev: bigint, ino: bigint): string {
  return `${dev}:${ino}`;
}

export function hashPrefix(buf: Buffer, len: number): string {
  return createHash('sha256').update(buf.subarray(0, len)).digest('hex');
}

/** Reads up to `max` leading bytes (fewer when the file is shorter). */
export async function readPrefix(handle: FileHandle, max: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(max);
  let got = 0;
  while (got < max) {
    const { bytesRead } = await handle.read(buf, got, max - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === max ? buf : buf.subarray(0, got);
}

export function fingerprintOf(prefix: Buffer): Fingerprint {
  return { len: prefix.length, hash: hashPrefix(prefix, prefix.length) };
}

/** True when `prefix` starts with the bytes a fingerprint (fpLen, fpHash) was taken from. */
export function prefixMatches(prefix: Buffer, fp: { fpLen: number; fpHash: string }): boolean {
  return prefix.length >= fp.fpLen && hashPrefix(prefix, fp.fpLen) === fp.fpHash;
}

/**
 * A short, stable source id. A full-length fingerprint gives a deterministic
 * id (a replay after a lost registry yields the same event ids); a shorter one
 * is salted with a random nonce, since two contents that share a short prefix
 * (an empty file truncated twice) must never share an id.
 */
export function makeSourceId(key: string, fp: Fingerprint, fingerprintBytes: number): string {
  const salt = fp.len >= fingerprintBytes ? '' : randomBytes(8).toString('hex');
  return createHash('sha256')
    .update(`${key}\0${fp.len}\0${fp.hash}\0${salt}`)
    .digest('hex')
    .slice(0, 16);
}
