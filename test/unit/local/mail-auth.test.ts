import { describe, expect, it } from 'vitest';
import { authenticateMessage, dkimVerdict, dmarcVerdict, spfVerdict } from '../../../lambdas/local/mail-auth.ts';

describe('local mail authentication', () => {
  it('maps RFC 7208 SPF results onto SES verdicts', () => {
    expect(['pass', 'fail', 'softfail', 'neutral', 'none', 'temperror', 'permerror'].map(spfVerdict)).toEqual([
      'PASS', 'FAIL', 'FAIL', 'GRAY', 'GRAY', 'PROCESSING_FAILED', 'GRAY',
    ]);
  });

  it('passes DKIM when any signature passes and is GRAY without signatures', () => {
    expect(dkimVerdict(['fail', 'pass'])).toBe('PASS');
    expect(dkimVerdict(['fail'])).toBe('FAIL');
    expect(dkimVerdict([])).toBe('GRAY');
    expect(dmarcVerdict('fail')).toBe('FAIL');
  });

  it('authenticates a real unsigned message from loopback without hanging and adds trace headers', async () => {
    const raw = Buffer.from('From: ada@customer.example\r\nTo: help@support.example.test\r\nSubject: hi\r\n\r\nhello\r\n');

    const result = await authenticateMessage({ raw, ip: '127.0.0.1', helo: 'client.test', mailFrom: 'ada@customer.example', mta: 'postroom.local' });

    expect(result.verdicts.spam).toBe('DISABLED');
    expect(result.verdicts.dkim).toBe('GRAY');
    expect(['GRAY', 'PROCESSING_FAILED']).toContain(result.verdicts.spf);
    expect(result.headers).toMatch(/Authentication-Results: postroom\.local/);
  });
});
