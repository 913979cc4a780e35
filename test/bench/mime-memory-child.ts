/**
 * One memory measurement of benchmark (c), run in a fresh process by memory.bench.ts:
 *
 *   node --import tsx --expose-gc test/bench/mime-memory-child.ts <ours|baseline> <endpoint> <rawBucket> <key> <partsBucket>
 *
 * Loads everything, parses a tiny message to warm the code paths, collects garbage, takes the RSS
 * as the baseline, then parses the stored message
 * (ours: S3MessageParser into the parts bucket; baseline: simpleParser on the same GetObject
 * stream) while sampling RSS and heap every few milliseconds. Prints one JSON line.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { simpleParser } from 'mailparser';
import type { Readable } from 'node:stream';
import { S3MessageParser } from '../../lambdas/adapters/mime/s3-message-parser.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../lambdas/local/services.ts';

/** Sampling period: parsing 38 MB takes about a second, so this gives hundreds of samples. */
const SAMPLE_EVERY_MS = 2;

const [mode, endpoint, rawBucket, key, partsBucket] = process.argv.slice(2) as [string, string, string, string, string];
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const s3 = new S3Client({ endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
const parser = new S3MessageParser(s3, partsBucket);

async function parseBaseline(): Promise<unknown> {
  const object = await s3.send(new GetObjectCommand({ Bucket: rawBucket, Key: key }));
  return simpleParser(object.Body as Readable);
}

// Warm the SDK, parser and upload code paths on a tiny object, the same way for both sides, so
// one-time allocations (modules, JIT code, sockets) are not counted as parsing memory.
if (mode === 'ours') await parser.parse({ bucket: rawBucket, key: 'warmup.eml' }, 'parts/warmup/');
else await simpleParser((await s3.send(new GetObjectCommand({ Bucket: rawBucket, Key: 'warmup.eml' }))).Body as Readable);
gc();
gc();
const base = process.memoryUsage();
let peakRss = base.rss;
let peakHeap = base.heapUsed + base.external + base.arrayBuffers;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed + m.external + m.arrayBuffers);
};
const timer = setInterval(sample, SAMPLE_EVERY_MS);
const started = performance.now();
const result = (await (mode === 'ours' ? parser.parse({ bucket: rawBucket, key }, 'parts/bench/') : parseBaseline())) as { attachments: unknown[] };
const seconds = (performance.now() - started) / 1000;
sample();
clearInterval(timer);
console.log(
  JSON.stringify({
    mode,
    seconds,
    attachments: result.attachments.length,
    extraRss: peakRss - base.rss,
    extraHeap: peakHeap - (base.heapUsed + base.external + base.arrayBuffers),
  }),
);
s3.destroy();
