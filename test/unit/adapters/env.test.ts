import { describe, expect, it } from 'vitest';
import { contentDeliveryEnv, domainRegistryEnv, routingEnv } from '../../../lambdas/adapters/env.ts';

const good = {
  INTERACTIONS_TABLE: 'i',
  QUEUES_TABLE: 'q',
  CONFIG_TABLE: 'c',
  MAIL_BUCKET: 'b',
  RECIPIENT_DOMAINS: 'Support.Example.com, help.example.org',
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
      domains: ['support.example.com', 'help.example.org'],
      defaultQueueId: 'default',
      defaultPriority: 3,
    });
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
    [{ ...good, RECIPIENT_DOMAINS: 'not a domain' }, /RECIPIENT_DOMAINS must list domain names/],
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
