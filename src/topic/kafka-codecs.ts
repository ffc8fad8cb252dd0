// Kafka's compression codecs, registered in kafkajs's global CompressionCodecs
// table once, when this module is first imported. Both ends import it: the
// agent to compress, the writer to decompress records of any codec (kafkajs
// ships gzip only; without this a writer cannot read lz4, snappy or zstd).
// Kafka's LZ4 is the LZ4 *frame* format (independent 64 KiB blocks); zstd is
// plain zstd frames, from node:zlib (Node 24 has zstd built in, so no addon);
// snappy comes from kafkajs-snappy, which speaks Kafka's.
// Records up to SYNC_COMPRESS_MAX_BYTES are compressed synchronously: for a
// packed record of 128 KiB the thread-pool round trip of zlib's async API
// costs more CPU than it saves (test/bench/kafka-packing.js).

import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import { compressFrame, compressFrameSync, decompressFrame } from 'lz4-napi';

/** What kafkajs expects of a codec: the encoder holds the record batch bytes to compress. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

/** Larger record batches are compressed off the main thread. */
export const SYNC_COMPRESS_MAX_BYTES = 4 * 1024 * 1024;

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

/** The gzip codec at a zlib level (1 fastest .. 9 smallest); its output is plain gzip. */
export function gzipCodec(level: number): KafkaCodec {
  const options = { level };
  return {
    compress: ({ buffer }) =>
      buffer.length <= SYNC_COMPRESS_MAX_BYTES
        ? Promise.resolve(zlib.gzipSync(buffer, options))
        : gzip(buffer, options),
    decompress: (buffer) => gunzip(buffer),
  };
}

/**
 * Sets the level of every gzip send in this process: kafkajs keeps one codec
 * table for all clients (a process has one Kafka output).
 */
export function useGzipLevel(level: number): void {
  const codec = gzipCodec(level);
  CompressionCodecs[CompressionTypes.GZIP] = () => codec;
}

export const lz4Codec: KafkaCodec = {
  compress: ({ buffer }) =>
    buffer.length <= SYNC_COMPRESS_MAX_BYTES
      ? Promise.resolve(compressFrameSync(buffer))
      : compressFrame(buffer),
  decompress: (buffer) => decompressFrame(buffer),
};

/** zstd at its default level (3), the level Kafka's own producer uses. */
export const zstdCodec: KafkaCodec = {
  compress: ({ buffer }) =>
    buffer.length <= SYNC_COMPRESS_MAX_BYTES
      ? Promise.resolve(zlib.zstdCompressSync(buffer))
      : zstdCompress(buffer),
  decompress: (buffer) => zstdDecompress(buffer),
};

// kafkajs-snappy is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const createSnappyCodec = require('kafkajs-snappy') as () => KafkaCodec;

export const snappyCodec: KafkaCodec = createSnappyCodec();

const { CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
CompressionCodecs[CompressionTypes.LZ4] = () => lz4Codec;
CompressionCodecs[CompressionTypes.ZSTD] = () => zstdCodec;
