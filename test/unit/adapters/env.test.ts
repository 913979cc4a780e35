import { describe, expect, it } from 'vitest';
import { contentDeliveryEnv, domainRegistryEnv, reconcilerEnv, routingEnv } from '../../../lambdas/adapters/env.ts';

const good = {
  INTERACTIONS_TABLE: 'i',
  QUEUES_TABLE: 'q',
  CONFIG_TABLE: 'c',
  MAIL_BUCKET: 'b',
  DEFAULT_QUEUE_ID: 'default',
  DEFAULT_PRIORITY: '3',
};

describe('routing environment', () => {
  it('reads and normalizes every variable once', () => {
    expect(routingEnv(good)).toEqual({
      interactionsTable: 'i',
      queuesTable: 'q',
      configTable: 'c',
      mailBucket: 'b',
      defaultQueueId: 'default',
      defaultPriority: 3,
    });
  });

  it('needs no list of domains: the served domains are data in the config table', () => {
    // Prepare: a deploy-time list left over from an older stack
    const env = { ...good, RECIPIENT_DOMAINS: 'old.example.com' };

    // Act
    const read = routingEnv(env);

    // Assess
    expect(read).not.toHaveProperty('domains');
    expect(reconcilerEnv({ ...good, INBOUND_QUEUE_URL: 'http://q' })).toEqual({ interactionsTable: 'i', mailBucket: 'b', configTable: 'c', inboundQueueUrl: 'http://q' });
    expect(() => reconcilerEnv({ ...good, CONFIG_TABLE: '', INBOUND_QUEUE_URL: 'http://q' })).toThrow(/CONFIG_TABLE is required/);
  });

  it('reads how the API delivers stored mail, presigned URLs by default', () => {
    expect(contentDeliveryEnv({})).toBe('presign');
    expect(contentDeliveryEnv({ CONTENT_DELIVERY: 'stream' })).toBe('stream');
    expect(() => contentDeliveryEnv({ CONTENT_DELIVERY: 'inline' })).toThrow(/CONTENT_DELIVERY must be 'presign' or 'stream'/);
  });

  it('reads an optional list of languages', () => {
    expect(routingEnv({ ...good, ROUTING_LANGUAGES: 'en, DE' }).languages).toEqual(['en', 'de']);
    expect(routingEnv(good).languages).toBeUndefined();
  });

  it('reads an optional thread window', () => {
    expect(routingEnv({ ...good, THREAD_WINDOW_DAYS: '14' }).threadWindowDays).toBe(14);
  });

  it.each([
    [{ ...good, MAIL_BUCKET: '' }, /MAIL_BUCKET is required/],
    [{ ...good, DEFAULT_PRIORITY: '1.5' }, /DEFAULT_PRIORITY must be an integer/],
    [{ ...good, THREAD_WINDOW_DAYS: '31' }, /THREAD_WINDOW_DAYS must be a whole number of days from 1 to 30/],
    [{ ...good, ROUTING_LANGUAGES: 'en,english' }, /ROUTING_LANGUAGES must list ISO 639-1 codes/],
  ])('fails at cold start naming the bad variable', (env, message) => {
    expect(() => routingEnv(env)).toThrow(message);
  });
});

describe('domain registry environment', () => {
  it('reads the config table and region, 2 domains and no configuration set by default', () => {
    expect(domainRegistryEnv({ CONFIG_TABLE: 'c', AWS_REGION: 'eu-west-1' })).toEqual({ configTable: 'c', region: 'eu-west-1', maxDomains: 2 });
    expect(domainRegistryEnv({ CONFIG_TABLE: 'c', AWS_REGION: 'eu-west-1', MAX_DOMAINS: '5', SES_CONFIGURATION_SET: 'postroom-cs' })).toEqual({
      configTable: 'c',
      region: 'eu-west-1',
      maxDomains: 5,
      configurationSetName: 'postroom-cs',
    });
  });

  it('fails the cold start on a domain limit outside 1-100 or a missing region', () => {
    for (const bad of ['0', '101', '2.5', 'two']) {
      expect(() => domainRegistryEnv({ CONFIG_TABLE: 'c', AWS_REGION: 'eu-west-1', MAX_DOMAINS: bad })).toThrow('environment variable MAX_DOMAINS must be a whole number from 1 to 100');
    }
    expect(() => domainRegistryEnv({ CONFIG_TABLE: 'c' })).toThrow('environment variable AWS_REGION is required');
  });
});
