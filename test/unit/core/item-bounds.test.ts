import { describe, expect, it } from 'vitest';
import type { TrailEntry } from '../../../lambdas/core/interaction.ts';
import { interactionMessageOf } from '../../../lambdas/core/interaction-message.ts';
import { TRAIL_CUT_STEP, boundTrail } from '../../../lambdas/core/item-bounds.ts';
import { ITEM_LIMITS } from '../../../lambdas/core/limits.ts';
import type { ParsedMail } from '../../../lambdas/core/message.ts';
import { receiptInfo } from '../../support/factories.ts';

const entry = (n: number, detail = `step ${n}`): TrailEntry => ({ at: new Date(n * 1000).toISOString(), step: 'x', detail });

describe('boundTrail', () => {
  it('keeps a short trail as it is', () => {
    const trail = Array.from({ length: 5 }, (_, n) => entry(n));
    expect(boundTrail(trail)).toEqual(trail);
  });

  it('keeps the first and the newest entries of a long trail, one cut line between, each detail capped', () => {
    const trail = Array.from({ length: 2_100 }, (_, n) => entry(n, n === 0 ? 'y'.repeat(10_000) : `step ${n}`));
    const bounded = boundTrail(trail);
    expect(bounded).toHaveLength(ITEM_LIMITS.maxTrailEntries);
    expect(bounded[0]!.detail).toHaveLength(ITEM_LIMITS.maxTrailDetailChars);
    expect(bounded[0]!.detail.endsWith('…')).toBe(true);
    expect(bounded.filter((e) => e.step === TRAIL_CUT_STEP)).toEqual([expect.objectContaining({ detail: expect.stringMatching(/^2001 earlier trail entries were cut here/) })]);
    expect(bounded.at(-1)!.detail).toBe('step 2099');
  });

  it('bounding a cut trail plus new entries keeps one cut line and the newest entries', () => {
    const once = boundTrail(Array.from({ length: 150 }, (_, n) => entry(n)));
    const twice = boundTrail([...once, entry(150), entry(151)]);
    expect(twice).toHaveLength(ITEM_LIMITS.maxTrailEntries);
    expect(twice.filter((e) => e.step === TRAIL_CUT_STEP)).toHaveLength(1);
    expect(twice.slice(-2).map((e) => e.detail)).toEqual(['step 150', 'step 151']);
    expect(twice[0]!.detail).toBe('step 0');
  });
});

describe('interactionMessageOf', () => {
  const receipt = receiptInfo('m', { mailFrom: 'a@customer.test' });

  it('keeps at most maxAttachmentsOnItem attachments, the total count and the S3 list; caps headers and address lists', () => {
    const attachments = Array.from({ length: 400 }, (_, n) => ({ filename: `${n}-${'f'.repeat(1_000)}.pdf`, contentType: 'application/pdf', size: 10, inline: false }));
    const parsed: ParsedMail = {
      subject: 's'.repeat(100_000),
      messageId: `<${'m'.repeat(5_000)}@x>`,
      references: Array.from({ length: 500 }, (_, n) => `<r${n}@x>`),
      replyTo: [],
      to: Array.from({ length: 1_000 }, (_, n) => ({ address: `to${n}@x.test`, name: 'n'.repeat(2_000) })),
      cc: [],
      headers: {},
      text: 'hello',
      textTruncated: false,
      attachments,
      attachmentsBlob: { bucket: 'mail', key: 'parts/i-x/attachments.json' },
      stats: { parts: 401, depth: 2, bytes: 522_000 },
    };
    const kept = interactionMessageOf(receipt, parsed);
    expect(kept.attachments).toHaveLength(ITEM_LIMITS.maxAttachmentsOnItem);
    expect(kept.attachments[0]!.filename).toHaveLength(ITEM_LIMITS.maxFilenameChars);
    expect(kept.attachmentCount).toBe(400);
    expect(kept.attachmentsBlob).toEqual({ bucket: 'mail', key: 'parts/i-x/attachments.json' });
    expect(kept.subject).toHaveLength(ITEM_LIMITS.maxHeaderValueChars);
    expect(kept.messageId).toHaveLength(ITEM_LIMITS.maxHeaderValueChars);
    expect(kept.references).toEqual(parsed.references.slice(-ITEM_LIMITS.maxReferencesOnItem));
    expect(kept.to).toHaveLength(ITEM_LIMITS.maxAddressesOnItem);
    expect(Buffer.byteLength(JSON.stringify(kept))).toBeLessThan(150 * 1024);
  });

  it('leaves a small mail untouched and sets no count', () => {
    const parsed: ParsedMail = {
      subject: 'Hi', references: [], replyTo: [], to: [], cc: [], headers: {}, text: 'x', textTruncated: false,
      attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', size: 1, inline: false }], stats: { parts: 2, depth: 1, bytes: 100 },
    };
    const kept = interactionMessageOf(receipt, parsed);
    expect(kept.attachments).toEqual(parsed.attachments);
    expect(kept.attachmentCount).toBeUndefined();
    expect(kept.subject).toBe('Hi');
  });
});
