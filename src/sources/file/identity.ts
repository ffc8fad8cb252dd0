// File identity: device + inode + a fingerprint of the first bytes. The
// fingerprint taken at first sight (length and hash) names the file for good;
// later checks verify that same prefix, so a file that grows keeps its id and
// a reused inode or a truncated-and-rewritten file does not.

import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';

/**
 * Flags to open a log file with: read-only, not through a symlink unless
 * symlinks are followed, and never blocking (a FIFO swapped in after the scan).
 */
export function readFlags(followSymlinks: boolean): number {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK;
  return followSymlinks ? flags : flags | constants.O_NOFOLLOW;
}

export interface Fingerprint {
  /** Number of leading bytes hashed (at most fingerprint_bytes). */
  len: number;
  /** sha256 of those bytes, hex. */
  hash: string;
}

/**
 * A file's device and inode, as decimal strings (exact even for 64-bit inode
 * numbers). Its text form `dev:ino` keys the maps of harvesters and attached
 * registry entries and goes into source ids, so it is built here only.
 */
export class FileKey {
  private readonly text: string;

  private constructor(
    readonly dev: string,
    readonly ino: string,
  ) {
    this.text = `${dev}:${ino}`;
  }

  /** From bigint stats (`stat(p, { bigint: true })`). */
  static ofStats(st: { dev: bigint; ino: bigint }): FileKey {
    return new FileKey(String(st.dev), String(st.ino));
  }

  /** From a registry entry's `dev` and `ino`. */
  static of(entry: { dev: string; ino: string }): FileKey {
    return new FileKey(entry.dev, entry.ino);
  }

  /** The inverse of toString; throws on text that is not `dev:ino`. */
  static parse(text: string): FileKey {
    const sep = text.indexOf(':');
    if (sep <= 0 || sep === text.length - 1 || text.indexOf(':', sep + 1) !== -1) {
      throw new RangeError(`not a dev:ino file key: ${JSON.stringify(text)}`);
    }
    return new FileKey(text.slice(0, sep), text.slice(sep + 1));
  }

  equals(other: FileKey): boolean {
    return this.text === other.text;
  }

  toString(): string {
    return this.text;
  }
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
export function makeSourceId(key: FileKey, fp: Fingerprint, fingerprintBytes: number): string {
  const salt = fp.len >= fingerprintBytes ? '' : randomBytes(8).toString('hex');
  return createHash('sha256')
    .update(`${key.toString()}\0${fp.len}\0${fp.hash}\0${salt}`)
    .digest('hex')
    .slice(0, 16);
}
