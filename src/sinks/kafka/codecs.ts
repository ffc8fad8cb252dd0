// Compression codecs kafkajs lacks (it ships gzip only), registered in its
// global CompressionCodecs table once, when this module is first imported.
// Kafka's LZ4 is the LZ4 *frame* format (independent 64 KiB blocks); zstd is
// plain zstd frames, from node:zlib (Node 24 has zstd built in, so no addon);
// snappy comes from kafkajs-snappy, which speaks Kafka's.
// gzip is replaced too, for a settable level (kafkajs uses zlib's default, 6).

import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import kafkajs from 'kafkajs';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { kafkaOutput } from '../../config/output-schema.js';

/** What kafkajs expects of a codec: the encoder holds the record batch bytes to compress. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const gzip = promisify(zlib.gzip);
const gunzip = promisify(zlib.gunzip);
const zstdCompress = promisify(zlib.zstdCompress);
const zstdDecompress = promisify(zlib.zstdDecompress);

/** The gzip codec at a zlib level (1 fastest .. 9 smallest); its output is plain gzip. */
export function gzipCodec(level: number): KafkaCodec {
  return {
    compress: (encoder) => gzip(encoder.buffer, { level }),
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
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
};

/** zstd at its default level (3), the level Kafka's own producer uses. */
export const zstdCodec: KafkaCodec = {
  compress: (encoder) => zstdCompress(encoder.buffer),
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
useGzipLevel(kafkaOutput.properties.gzip_level.default);
