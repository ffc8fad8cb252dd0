import t from 'tap';
import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { gunzipSync } from 'node:zlib';
import {
  gzipCodec,
  lz4Codec,
  snappyCodec,
  SYNC_COMPRESS_MAX_BYTES,
  useGzipLevel,
  zstdCodec,
} from '../../../src/topic/kafka-codecs.js';

const { CompressionCodecs, CompressionTypes } = kafkajs;

/** Log-like data, compressible, bigger than one 64 KiB LZ4 block, with some noise. */
function sample(): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < 3000; i++) {
    parts.push(
      Buffer.from(
        `{"source":{"ip":"10.0.${i % 255}.${i % 7}"},"url":{"path":"/p/${i}"},"n":${i}}\n`,
      ),
    );
    if (i % 100 === 0) parts.push(randomBytes(64));
  }
  return Buffer.concat(parts);
}

for (const [name, codec] of [
  ['lz4', lz4Codec],
  ['zstd', zstdCodec],
  ['snappy', snappyCodec],
] as const) {
  t.test(`${name}: what is compressed decompresses to the same bytes`, async (t) => {
    const data = sample();
    const packed = await codec.compress({ buffer: data });
    t.ok(packed.length < data.length, 'smaller');
    t.ok((await codec.decompress(packed)).equals(data), 'round trip');
    t.ok(
      (await codec.decompress(await codec.compress({ buffer: Buffer.alloc(0) }))).equals(
        Buffer.alloc(0),
      ),
      'empty',
    );
  });
}

t.test(
  'LZ4 is the frame format Kafka reads: magic, independent blocks of 64 KiB to 4 MiB',
  async (t) => {
    const frame = await lz4Codec.compress({ buffer: sample() });
    t.equal(frame.readUInt32LE(0), 0x184d2204, 'LZ4 frame magic');
    const flg = frame[4];
    t.equal(flg >> 6, 1, 'frame version 01');
    t.equal((flg >> 5) & 1, 1, 'blocks are independent');
    const blockSize = (frame[5] >> 4) & 7;
    t.ok(
      blockSize >= 4 && blockSize <= 7,
      `block maximum size code ${blockSize} is one Kafka accepts`,
    );
  },
);

t.test('zstd output is a standard zstd frame', async (t) => {
  const frame = await zstdCodec.compress({ buffer: sample() });
  t.equal(frame.readUInt32LE(0), 0xfd2fb528, 'zstd frame magic');
});

t.test('the codecs are registered in kafkajs once the module is loaded', async (t) => {
  t.equal(CompressionCodecs[CompressionTypes.LZ4](), lz4Codec);
  t.equal(CompressionCodecs[CompressionTypes.ZSTD](), zstdCodec);
  t.equal(CompressionCodecs[CompressionTypes.Snappy](), snappyCodec);
});

t.test('big record batches (over the sync limit) go through the async path alike', async (t) => {
  const big = Buffer.concat(Array.from({ length: 600 }, () => sample())).subarray(
    0,
    SYNC_COMPRESS_MAX_BYTES + 1000,
  );
  t.ok(big.length > SYNC_COMPRESS_MAX_BYTES, 'bigger than the sync limit');
  for (const codec of [gzipCodec(1), lz4Codec, zstdCodec]) {
    t.ok((await codec.decompress(await codec.compress({ buffer: big }))).equals(big));
  }
});

t.test('gzip at a level: plain gzip any consumer reads; a higher level is smaller', async (t) => {
  const data = sample();
  const fast = await gzipCodec(1).compress({ buffer: data });
  const small = await gzipCodec(9).compress({ buffer: data });
  t.ok(gunzipSync(fast).equals(data), 'level 1 round trip through plain zlib');
  t.ok(gunzipSync(small).equals(data), 'level 9 round trip through plain zlib');
  t.ok(small.length < fast.length, `level 9 (${small.length} B) < level 1 (${fast.length} B)`);
  t.ok((await gzipCodec(1).decompress(fast)).equals(data), 'the codec decompresses');
});

t.test('useGzipLevel sets the gzip codec kafkajs uses', async (t) => {
  const data = sample();
  t.teardown(() => useGzipLevel(3));
  useGzipLevel(1);
  const one = await CompressionCodecs[CompressionTypes.GZIP]().compress({ buffer: data });
  useGzipLevel(9);
  const nine = await CompressionCodecs[CompressionTypes.GZIP]().compress({ buffer: data });
  t.same(one, await gzipCodec(1).compress({ buffer: data }));
  t.same(nine, await gzipCodec(9).compress({ buffer: data }));
});
