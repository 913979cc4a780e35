/**
 * The Secrets Manager secret store against a mocked client (no local Secrets Manager exists): which
 * calls a put, get and delete make, and that a failure never carries the secret in its message.
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  InvalidRequestException,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecretStore, SERVER_SECRET_TAG } from '../../../../lambdas/adapters/secrets/secrets-manager-store.ts';
import { PermanentError } from '../../../../lambdas/core/errors.ts';

const REF = 'postroom/mail-servers/srv-1';
const SECRET = '{"password":"canary-hunter2"}';
const meta = { $metadata: { httpStatusCode: 400 } };
const notFound = () => new ResourceNotFoundException({ message: 'not found', ...meta });

describe('SecretsManagerSecretStore', () => {
  const sm = mockClient(SecretsManagerClient);
  const store = new SecretsManagerSecretStore(new SecretsManagerClient({ region: 'eu-west-1' }));
  beforeEach(() => sm.reset());

  it('replaces the value of an existing secret without creating one', async () => {
    sm.on(PutSecretValueCommand).resolves({});

    await store.put(REF, SECRET);

    expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: REF, SecretString: SECRET });
    expect(sm.commandCalls(CreateSecretCommand)).toHaveLength(0);
  });

  it('creates a missing secret under the reference, tagged with its server', async () => {
    sm.on(PutSecretValueCommand).rejects(notFound());
    sm.on(CreateSecretCommand).resolves({});

    await store.put(REF, SECRET);

    const input = sm.commandCalls(CreateSecretCommand)[0]!.args[0].input;
    expect(input).toMatchObject({ Name: REF, SecretString: SECRET, Tags: [{ Key: SERVER_SECRET_TAG, Value: 'srv-1' }] });
    expect(input.KmsKeyId).toBeUndefined();
  });

  it('writes its value when another save created the secret in between', async () => {
    sm.on(PutSecretValueCommand).rejectsOnce(notFound()).resolves({});
    sm.on(CreateSecretCommand).rejects(new ResourceExistsException({ message: 'exists', ...meta }));

    await store.put(REF, SECRET);

    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(2);
  });

  it('reads a value, and undefined when there is no secret', async () => {
    sm.on(GetSecretValueCommand, { SecretId: REF }).resolves({ SecretString: SECRET });
    sm.on(GetSecretValueCommand, { SecretId: 'postroom/mail-servers/none' }).rejects(notFound());

    expect(await store.get(REF)).toBe(SECRET);
    expect(await store.get('postroom/mail-servers/none')).toBeUndefined();
  });

  it('deletes without a recovery window, and a missing secret is no failure', async () => {
    sm.on(DeleteSecretCommand).resolvesOnce({}).rejects(notFound());

    await store.delete(REF);
    await store.delete(REF);

    expect(sm.commandCalls(DeleteSecretCommand)[0]!.args[0].input).toEqual({ SecretId: REF, ForceDeleteWithoutRecovery: true });
  });

  it('refuses with an error that does not quote the request', async () => {
    sm.on(PutSecretValueCommand).rejects(new InvalidRequestException({ message: `bad value ${SECRET}`, ...meta }));

    const err = (await store.put(REF, SECRET).catch((e: unknown) => e)) as Error;

    expect(err).toBeInstanceOf(PermanentError);
    expect(err.message).not.toContain('canary-hunter2');
    expect(err.message).toContain('PutSecretValue');
  });
});
