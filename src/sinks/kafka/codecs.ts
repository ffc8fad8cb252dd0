// Compression codecs kafkajs lacks (it ships gzip only), registered in its
// global CompressionCodecs table once, when this module is first imported.
// Kafka's LZ4 is the LZ4 *frame* format (independent 64 KiB blocks); zstd is
// plain zstd frames; snappy comes from kafkajs-snappy, which speaks Kafka's.

import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { compressFrame, decompressFrame } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress } from 'zstd-napi';

/** What kafkajs expects of a codec: the encoder holds the record batch bytes to compress. */
export interface KafkaCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

export const lz4Codec: KafkaCodec = {
  compress: (encoder) => compressFrame(encoder.buffer),
  decompress: (buffer) => decompressFrame(buffer),
};

export const zstdCodec: KafkaCodec = {
  compress: async (encoder) => zstdCompress(encoder.buffer),
  decompress: async (buffer) => zstdDecompress(buffer),
};

// kafkajs-snappy is CommonJS without type declarations.
const require = createRequire(import.meta.url);
const createSnappyCodec = require('kafkajs-snappy') as () => KafkaCodec;

export const snappyCodec: KafkaCodec = createSnappyCodec();

const { CompressionCodecs, CompressionTypes } = kafkajs;
CompressionCodecs[CompressionTypes.Snappy] = () => snappyCodec;
CompressionCodecs[CompressionTypes.LZ4] = () => lz4Codec;
CompressionCodecs[CompressionTypes.ZSTD] = () => zstdCodec;
