/**
 * The poll bench's local S3, SQS (fauxqs) and DynamoDB (dynalite) in a process of their own, so
 * their CPU is not the poller's (as with AWS, where it is not on the poller's machine at all).
 * Prints `{"fauxqs":url,"dynalite":url}` on one line and runs until its stdin closes.
 */
import { startDynalite, startFauxqsService } from '../../lambdas/local/services.ts';

const [dynalite, fauxqs] = await Promise.all([startDynalite(), startFauxqsService()]);
console.log(JSON.stringify({ fauxqs: fauxqs.endpoint, dynalite: dynalite.endpoint }));
process.stdin.resume();
process.stdin.on('end', () => void Promise.allSettled([fauxqs.stop(), dynalite.stop()]).then(() => process.exit(0)));
