import { describe, expect, it } from 'vitest';
import { polledObjectKey, polledTransportOfKey } from '../../../../lambdas/core/mailboxes/polled-key.ts';
import { rawMessageTransportKey } from '../../../../lambdas/core/reconcile/reconcile.ts';

describe('polled object keys', () => {
  it('round-trips an IMAP identity and gives the reconciler the ledger key', () => {
    const key = polledObjectKey({ kind: 'imap', serverId: 'srv-1', uidValidity: '1700000000', uid: '42' });
    expect(key).toBe('polled/srv-1/imap/1700000000/42');
    expect(rawMessageTransportKey(key)).toBe('imap:srv-1:1700000000:42');
  });

  it('encodes a UIDL with any printable character (slashes too) and decodes it back', () => {
    const uidl = 'a/b:c~!"#$%&\'()*+,-.<=>?@[\\]^_`{|}';
    const key = polledObjectKey({ kind: 'pop3', serverId: 'srv-2', uidl });
    expect(key).toMatch(/^polled\/srv-2\/pop3\/[0-9a-f]+$/);
    expect(polledTransportOfKey(key)).toEqual({ kind: 'pop3', serverId: 'srv-2', uidl });
    expect(rawMessageTransportKey(key)).toBe(`pop3:srv-2:${uidl}`);
  });

  it('refuses keys that are not a poller object', () => {
    for (const key of ['polled/srv/imap/1', 'polled/srv/pop3/zz', 'polled/srv/pop3/0a', 'polled/s v/imap/1/2', 'other/srv/imap/1/2']) {
      expect(polledTransportOfKey(key)).toBeUndefined();
    }
  });
});
