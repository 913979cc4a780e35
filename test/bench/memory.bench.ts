/**
 * Benchmark (c): peak extra memory while parsing one 38 MiB message (SES's maximum is 40 MB),
 * nearly all of it one attachment, read from and written to a real S3 (fauxqs on loopback).
 *
 *   npx tsx test/bench/memory.bench.ts [--mb 38]
 *
 * fauxqs runs in this process; each measurement runs in a fresh child process
 * (`node --import tsx --expose-gc test/bench/mime-memory-child.ts`) so that neither pollutes the
 * other. Ours is S3MessageParser streaming the attachment into the parts bucket; the baseline is
 * simpleParser (defaults) on the same GetObject stream. Target: ours peaks at <= 1.5x the message
 * size in extra RSS. Prints figures; asserts nothing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startFauxqsService } from '../../lambdas/local/services.ts';
import { maxSizeMessage } from './corpus-gen.ts';
import { printTable } from './mime-bench-table.ts';

interface Measurement {
  readonly mode: string;
  readonly seconds: number;
  readonly attachments: number;
  readonly extraRss: number;
  readonly extraHeap: number;
}

const { values: args } = parseArgs({ options: { mb: { type: 'string', default: '38' } } });
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const MB = 1024 * 1024;

function measure(mode: 'ours' | 'baseline', endpoint: string, key: string): Promise<Measurement> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', 'test/bench/mime-memory-child.ts', mode, endpoint, 'bench-raw', key, 'bench-parts'],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || !line.startsWith('{')) reject(new Error(`${mode} child exited with ${code}: ${out}`));
      else resolve(JSON.parse(line) as Measurement);
    });
  });
}

const fauxqs = await startFauxqsService();
try {
  const s3 = new S3Client({ endpoint: fauxqs.endpoint, forcePathStyle: true, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-raw' }));
  await s3.send(new CreateBucketCommand({ Bucket: 'bench-parts' }));
  const message = maxSizeMessage(Number(args.mb) * MB);
  // fauxqs (like S3 for large bodies) wants a multipart upload for an object this size.
  await new Upload({ client: s3, params: { Bucket: 'bench-raw', Key: 'max.eml', Body: message.raw }, partSize: 8 * MB }).done();
  await s3.send(new PutObjectCommand({ Bucket: 'bench-raw', Key: 'warmup.eml', Body: 'Subject: warm-up\r\n\r\nhi\r\n' }));
  s3.destroy();
  const size = message.raw.length;
  console.log(`message: ${(size / MB).toFixed(1)} MiB, one ${((size * 0.74) / MB).toFixed(1)} MiB attachment (approx.)`);

  const ours = await measure('ours', fauxqs.endpoint, 'max.eml');
  const baseline = await measure('baseline', fauxqs.endpoint, 'max.eml');
  for (const m of [ours, baseline]) {
    console.log(`${m.mode.padEnd(8)}: ${m.seconds.toFixed(2)} s, extra RSS ${(m.extraRss / MB).toFixed(1)} MiB, extra heap+buffers ${(m.extraHeap / MB).toFixed(1)} MiB, ${m.attachments} attachment(s)`);
  }
  printTable('peak extra memory while parsing, as a multiple of the message size (ratio column = ours)', [
    { name: 'peak extra RSS / message size', ours: ours.extraRss / size, baseline: baseline.extraRss / size, target: 1.5, better: 'lower', unit: 'x' },
    { name: 'peak extra heap+buffers / message size', ours: ours.extraHeap / size, baseline: baseline.extraHeap / size, better: 'lower', unit: 'x' },
  ]);
} finally {
  await fauxqs.stop();
}
