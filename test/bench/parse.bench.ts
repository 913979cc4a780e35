/**
 * Benchmark (a): our streaming MIME parse against mailparser's `simpleParser` with default options,
 * on the same generated messages, in the same process and run.
 *
 *   npx tsx test/bench/parse.bench.ts [--rounds 15] [--warmup 5]
 *
 * Ours is the adapter's own code path (`parseMimeStream`: lean MailParser, limits, header
 * extraction, HTML sanitizing, sha256 of attachments) into a sink that reads and discards parts.
 * Rounds alternate between ours and the baseline and the median round counts, so that JIT warm-up
 * and a busy machine affect both alike. Prints figures and ratios; asserts nothing.
 */
import { Readable } from 'node:stream';
import { parseArgs } from 'node:util';
import { simpleParser } from 'mailparser';
import { parseMimeStream } from '../../lambdas/adapters/mime/parse-mime-stream.ts';
import { largeAttachmentMessages, smallMessageMix, type GeneratedMessage } from './corpus-gen.ts';
import { printTable, type BenchRow } from './mime-bench-table.ts';
import { median } from './report.ts';
import { DiscardPartSink } from '../support/part-sinks.ts';

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '15' }, warmup: { type: 'string', default: '5' } } });
const ROUNDS = Number(args.rounds);
const WARMUP = Number(args.warmup);

type Parse = (raw: Buffer) => Promise<unknown>;
// Both sides read the message from a stream, as the routing Lambda reads it from S3, so neither
// gets the shortcut of `parser.end(buffer)` that the other does not.
const ours: Parse = (raw) => parseMimeStream(Readable.from([raw]), new DiscardPartSink());
const baseline: Parse = (raw) => simpleParser(Readable.from([raw]));

async function timeRound(parse: Parse, messages: readonly GeneratedMessage[]): Promise<number> {
  const started = performance.now();
  for (const message of messages) await parse(message.raw);
  return (performance.now() - started) / 1000;
}

/** Median seconds per round for ours and the baseline, rounds interleaved. */
async function compare(messages: readonly GeneratedMessage[], rounds = ROUNDS): Promise<{ ours: number; baseline: number }> {
  for (let i = 0; i < WARMUP; i++) {
    await timeRound(ours, messages);
    await timeRound(baseline, messages);
  }
  const o: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    o.push(await timeRound(ours, messages));
    b.push(await timeRound(baseline, messages));
  }
  return { ours: median(o), baseline: median(b) };
}

const small = smallMessageMix();
const large = largeAttachmentMessages();
const largeMb = large.reduce((sum, m) => sum + m.raw.length, 0) / 1024 / 1024;
console.log(`small mix: ${small.length} messages, ${(small.reduce((s, m) => s + m.raw.length, 0) / 1024 / 1024).toFixed(1)} MB; large: ${large.length} messages, ${largeMb.toFixed(1)} MB`);

const rows: BenchRow[] = [];
const mix = await compare(small);
rows.push({ name: 'small mix (messages/s)', ours: small.length / mix.ours, baseline: small.length / mix.baseline, target: 3, better: 'higher', unit: 'msg/s' });
const big = await compare(large, Math.max(3, Math.ceil(ROUNDS / 3)));
rows.push({ name: 'large attachments (MB/s)', ours: largeMb / big.ours, baseline: largeMb / big.baseline, target: 1, better: 'higher', unit: 'MB/s' });
for (const kind of [...new Set(small.map((m) => m.kind))]) {
  const subset = small.filter((m) => m.kind === kind);
  const t = await compare(subset, Math.max(3, Math.ceil(ROUNDS / 3)));
  rows.push({ name: `  ${kind} (messages/s)`, ours: subset.length / t.ours, baseline: subset.length / t.baseline, better: 'higher', unit: 'msg/s' });
}
printTable('parse throughput: parseMimeStream + discard sink vs simpleParser (defaults)', rows);
