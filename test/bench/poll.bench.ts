/**
 * Issue 10 item 8: the initial sync of a 10,000-message Dovecot mailbox (BENCH_SMALL=1: 1,000)
 * through the pollers into S3 and the inbound queue (fauxqs) with their poll state on dynalite, in
 * messages per second, beside a bare client fetching every message of the same mailbox in the
 * same run: imapflow's `UID FETCH 1:* BODY.PEEK[]` for IMAP, UIDL + RETR of every message for
 * POP3. Target: ratio >= 0.5 (storing and enqueuing may cost no more than the fetch itself).
 * Printed, never asserted. Rows per protocol:
 *
 * - into fauxqs and dynalite in this process, and in a child process (their CPU then not the
 *   poller's, as with AWS, though on 2 cores they still share the machine with it and Dovecot);
 * - into a sink that discards: the poller's own cost (cursor, \Seen, DELE);
 * - into the child's stand-ins behind a proxy adding a round trip of {@link FAR_RTT_MS} ms, as a
 *   Lambda's S3 and SQS calls have: a poller that waited on its stores would fall far behind here;
 * - the CPU per message of the poller's process and of the stand-ins, beside the bare fetch's;
 * - the same sync of mail with an attachment (about 51 KB each), where moving the bytes is a fair
 *   share of the work, not only the per-request cost of S3 and SQS.
 *
 *   node --import tsx test/bench/poll.bench.ts
 */
import { connectImap } from '../../lambdas/adapters/mailboxes/imap-connect.ts';
import { ImapFlowFolder } from '../../lambdas/adapters/mailboxes/imap-folder.ts';
import { pollServer, type PollWiring } from '../../lambdas/adapters/mailboxes/poll-server.ts';
import { connectPop3 } from '../../lambdas/adapters/mailboxes/pop3-client.ts';
import { pollMailbox } from '../../lambdas/core/mailboxes/poll-mailbox.ts';
import type { MailServer } from '../../lambdas/core/mailboxes/server.ts';
import { startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';
import { startDovecot } from '../support/dovecot.ts';
import { startDelayProxy } from './delay-proxy.ts';
import { credentials, discarding, mailbox, messageWithAttachment, outOfProcess, ownCpuMs, smallMessage, stack } from './poll-fixtures.ts';
import { printRows } from './report.ts';

const COUNT = process.env.BENCH_SMALL === '1' ? 1_000 : 10_000;
/** The round trip added to every S3, SQS and DynamoDB call in the "far" rows (same-region calls from a Lambda take a few ms to tens of ms). */
const FAR_RTT_MS = 10;

/** Messages per second of one run, and the CPU milliseconds per message of this process and of the stand-ins' child process. */
interface Measured {
  readonly rate: number;
  readonly cpu: number;
  readonly standinsCpu: number;
}

const [dovecot, dynalite, fauxqs] = await Promise.all([startDovecot(), startDynalite(), startFauxqsService()]);
const standins = await outOfProcess();
const proxies = await Promise.all([startDelayProxy(standins.fauxqs, FAR_RTT_MS / 2), startDelayProxy(standins.dynalite, FAR_RTT_MS / 2)]);
const local = await stack(fauxqs.endpoint, dynalite.endpoint, 'bench', dovecot);
const remote = await stack(standins.fauxqs, standins.dynalite, 'bench-child', dovecot);
const distant = await stack(proxies[0].endpoint, proxies[1].endpoint, 'bench-far', dovecot);
const poll = (server: MailServer, wiring: PollWiring, id: string) => async () => (await pollServer({ ...server, id }, credentials(server), wiring, { deadline: Date.now() + 600_000 })).fetched;
try {
  const small = Array.from({ length: COUNT }, (_, i) => ({ raw: smallMessage(i) }));

  // IMAP: the bare fetch first, then the pollers, each from an empty cursor (another server id): the same mailbox, the same bytes.
  const imap = await mailbox(dovecot, 'imap');
  await dovecot.deliverMany(imap.user, small);
  const bareImap = await timed(() => bareImapFetch(imap, local.wiring));
  const discardImap = await timed(async () => {
    const client = await connectImap(imap, credentials(imap), local.wiring.connect);
    try {
      const session = { kind: 'imap' as const, folder: new ImapFlowFolder(client, 'INBOX') };
      return (await pollMailbox({ ...imap, id: 'bench-imap-discard' }, session, discarding(local.wiring), { deadline: Date.now() + 600_000 })).fetched;
    } finally {
      await client.logout();
    }
  });
  const polledImap = await timed(poll(imap, local.wiring, 'bench-imap'));
  const childImap = await timed(poll(imap, remote.wiring, 'bench-imap-child'));
  const farImap = await timed(poll(imap, distant.wiring, 'bench-imap-far'));

  // POP3: the poller deletes what it fetched, so the bare client reads first (deleting nothing) and each poll gets the mailbox anew.
  const pop3 = await mailbox(dovecot, 'pop3');
  await dovecot.deliverMany(pop3.user, small);
  const barePop3 = await timed(() => barePop3Fetch(pop3, local.wiring));
  const discardPop3 = await timed(async () => {
    const client = await connectPop3(pop3, credentials(pop3), local.wiring.connect);
    return (await pollMailbox({ ...pop3, id: 'bench-pop3-discard' }, { kind: 'pop3', mailbox: client }, discarding(local.wiring), { deadline: Date.now() + 600_000 })).fetched;
  });
  await dovecot.deliverMany(pop3.user, small);
  const polledPop3 = await timed(poll(pop3, local.wiring, 'bench-pop3'));
  await dovecot.deliverMany(pop3.user, small);
  const childPop3 = await timed(poll(pop3, remote.wiring, 'bench-pop3-child'));
  await dovecot.deliverMany(pop3.user, small);
  const farPop3 = await timed(poll(pop3, distant.wiring, 'bench-pop3-far'));

  // Mail with an attachment (about 51 KB), into the stand-ins in their own process.
  const larger = Array.from({ length: COUNT }, (_, i) => ({ raw: messageWithAttachment(i) }));
  const imap51 = await mailbox(dovecot, 'imap', 'imap-51k');
  await dovecot.deliverMany(imap51.user, larger);
  const bareImap51 = await timed(() => bareImapFetch(imap51, local.wiring));
  const childImap51 = await timed(poll(imap51, remote.wiring, 'bench-imap-51k-child'));
  const pop351 = await mailbox(dovecot, 'pop3', 'pop3-51k');
  await dovecot.deliverMany(pop351.user, larger);
  const barePop351 = await timed(() => barePop3Fetch(pop351, local.wiring));
  const childPop351 = await timed(poll(pop351, remote.wiring, 'bench-pop3-51k-child'));

  const target = { ratio: 0.5, higherIsBetter: true };
  const apart = "fauxqs + dynalite in their own process (their CPU not the poller's)";
  printRows(`initial sync of a ${COUNT}-message mailbox of 2 KB mail (Dovecot on loopback; S3 + SQS on fauxqs, state on dynalite)`, [
    { name: 'IMAP poller -> S3 + queue', ours: polledImap.rate, baseline: bareImap.rate, unit: 'msg/s', target, note: 'baseline: bare imapflow UID FETCH 1:* BODY.PEEK[]' },
    { name: 'IMAP poller -> S3 + queue, stand-ins apart', ours: childImap.rate, baseline: bareImap.rate, unit: 'msg/s', target, note: apart },
    { name: `IMAP poller -> S3 + queue, ${FAR_RTT_MS} ms away`, ours: farImap.rate, baseline: bareImap.rate, unit: 'msg/s', target, note: `stand-ins apart behind a ${FAR_RTT_MS} ms round trip per call (as from a Lambda)` },
    { name: 'IMAP poller -> discarding sink', ours: discardImap.rate, baseline: bareImap.rate, unit: 'msg/s', target, note: 'the poller without S3/SQS: its own cost (cursor, \\Seen)' },
    { name: 'POP3 poller -> S3 + queue', ours: polledPop3.rate, baseline: barePop3.rate, unit: 'msg/s', target, note: 'baseline: bare UIDL + RETR each (our POP3 client)' },
    { name: 'POP3 poller -> S3 + queue, stand-ins apart', ours: childPop3.rate, baseline: barePop3.rate, unit: 'msg/s', target, note: apart },
    { name: `POP3 poller -> S3 + queue, ${FAR_RTT_MS} ms away`, ours: farPop3.rate, baseline: barePop3.rate, unit: 'msg/s', target, note: `stand-ins apart behind a ${FAR_RTT_MS} ms round trip per call (as from a Lambda)` },
    { name: 'POP3 poller -> discarding sink', ours: discardPop3.rate, baseline: barePop3.rate, unit: 'msg/s', target, note: 'the poller without S3/SQS (seen-set on dynalite, DELE, QUIT)' },
  ]);
  console.log('');
  // "May cost no more than the fetch itself", in CPU: the poller's process at most twice the bare fetch's.
  const cpuTarget = { ratio: 2, higherIsBetter: false };
  const standinsNote = 'fauxqs + dynalite serving the poller (with AWS: not on this machine)';
  printRows('CPU per message of the 2 KB sync (user + system; Dovecot in neither)', [
    { name: 'IMAP poller process (stand-ins apart)', ours: childImap.cpu, baseline: bareImap.cpu, unit: 'ms/msg', target: cpuTarget, note: 'baseline: the bare fetch\'s process; target: storing costs at most the fetch' },
    { name: 'IMAP: S3 + SQS + DynamoDB stand-ins', ours: childImap.standinsCpu, baseline: bareImap.cpu, unit: 'ms/msg', note: standinsNote },
    { name: 'POP3 poller process (stand-ins apart)', ours: childPop3.cpu, baseline: barePop3.cpu, unit: 'ms/msg', target: cpuTarget, note: 'baseline: the bare fetch\'s process; target: storing costs at most the fetch' },
    { name: 'POP3: S3 + SQS + DynamoDB stand-ins', ours: childPop3.standinsCpu, baseline: barePop3.cpu, unit: 'ms/msg', note: standinsNote },
  ]);
  console.log('');
  printRows(`initial sync of a ${COUNT}-message mailbox of mail with an attachment (about 51 KB each; stand-ins apart)`, [
    { name: 'IMAP poller -> S3 + queue, stand-ins apart', ours: childImap51.rate, baseline: bareImap51.rate, unit: 'msg/s', target, note: 'baseline: bare imapflow UID FETCH 1:* BODY.PEEK[]' },
    { name: 'POP3 poller -> S3 + queue, stand-ins apart', ours: childPop351.rate, baseline: barePop351.rate, unit: 'msg/s', target, note: 'baseline: bare UIDL + RETR each (our POP3 client)' },
  ]);
} finally {
  for (const s of [local, remote, distant]) s.destroy();
  standins.stop();
  await Promise.allSettled([dovecot.stop(), fauxqs.stop(), dynalite.stop(), ...proxies.map((p) => p.stop())]);
}

/** imapflow's `UID FETCH 1:* BODY.PEEK[]` of the whole mailbox. */
async function bareImapFetch(server: MailServer, wiring: PollWiring): Promise<number> {
  const client = await connectImap(server, credentials(server), wiring.connect);
  let n = 0;
  try {
    await client.mailboxOpen('INBOX');
    for await (const m of client.fetch('1:*', { uid: true, source: true }, { uid: true })) if (m.source) n++;
  } finally {
    await client.logout();
  }
  return n;
}

/** UIDL, then RETR of every message (our POP3 client), deleting nothing. */
async function barePop3Fetch(server: MailServer, wiring: PollWiring): Promise<number> {
  const client = await connectPop3(server, credentials(server), wiring.connect);
  let n = 0;
  try {
    for (const m of await client.uidl()) {
      for await (const _chunk of await client.retr(m.number));
      n++;
    }
  } finally {
    client.close();
  }
  return n;
}

/** Messages per second of `run` (which answers how many it handled) and the CPU it took per message. */
async function timed(run: () => Promise<number>): Promise<Measured> {
  const [cpu, standinsCpu, start] = [ownCpuMs(), standins.cpuMs(), performance.now()];
  const n = await run();
  const seconds = (performance.now() - start) / 1000;
  if (n !== COUNT) console.log(`!!! handled ${n} of ${COUNT}`);
  return { rate: n / seconds, cpu: (ownCpuMs() - cpu) / n, standinsCpu: (standins.cpuMs() - standinsCpu) / n };
}
