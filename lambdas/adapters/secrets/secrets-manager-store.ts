/**
 * Mail server secrets in AWS Secrets Manager (SRV-10), one secret per server named by its
 * `secretRef` (`postroom/mail-servers/<id>`, the one prefix the API's IAM policy allows), encrypted
 * with the account's default key `aws/secretsmanager` and tagged `postroom:server` with the id.
 *
 * Why these calls: put tries PutSecretValue first (every later password change) and creates the
 * secret only when it does not exist; a create that loses a race to another create falls back to
 * PutSecretValue. Delete uses ForceDeleteWithoutRecovery: the server is gone, and a 7-30 day
 * recovery window would keep its password alive in the account for nothing (a duplicate never
 * shares a secret, and ids are never reused, so nothing could ever recover into it).
 */
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import type { SecretStore } from '../../core/mailboxes/server.ts';
import { sdkError } from '../aws/sdk-errors.ts';

/** The tag every server secret carries: which server it belongs to (cost reports, audits, cleanup). */
export const SERVER_SECRET_TAG = 'postroom:server';

const isNamed = (err: unknown, name: string): boolean => (err as { name?: string } | undefined)?.name === name;

/** {@link SecretStore} on Secrets Manager; `client` is created once per container and injected. */
export class SecretsManagerSecretStore implements SecretStore {
  constructor(private readonly client: SecretsManagerClient) {}

  async put(ref: string, value: string): Promise<void> {
    try {
      await this.client.send(new PutSecretValueCommand({ SecretId: ref, SecretString: value }));
      return;
    } catch (err) {
      if (!isNamed(err, 'ResourceNotFoundException')) throw secretError(err, 'PutSecretValue');
    }
    try {
      await this.client.send(
        new CreateSecretCommand({
          Name: ref,
          SecretString: value,
          Description: 'Postroom mail server credentials (password or OAuth2 tokens)',
          Tags: [{ Key: SERVER_SECRET_TAG, Value: ref.slice(ref.lastIndexOf('/') + 1) }],
        }),
      );
    } catch (err) {
      if (!isNamed(err, 'ResourceExistsException')) throw secretError(err, 'CreateSecret');
      // Another save created it between our two calls: ours is the newer value.
      await this.client.send(new PutSecretValueCommand({ SecretId: ref, SecretString: value })).catch((e: unknown) => {
        throw secretError(e, 'PutSecretValue');
      });
    }
  }

  async get(ref: string): Promise<string | undefined> {
    try {
      const out = await this.client.send(new GetSecretValueCommand({ SecretId: ref }));
      return out.SecretString;
    } catch (err) {
      if (isNamed(err, 'ResourceNotFoundException')) return undefined;
      throw secretError(err, 'GetSecretValue');
    }
  }

  async delete(ref: string): Promise<void> {
    try {
      await this.client.send(new DeleteSecretCommand({ SecretId: ref, ForceDeleteWithoutRecovery: true }));
    } catch (err) {
      if (!isNamed(err, 'ResourceNotFoundException')) throw secretError(err, 'DeleteSecret');
    }
  }
}

/**
 * The SDK failure in Postroom's hierarchy. Only the operation is named: an SDK message may quote
 * the request, and a request may carry the secret, so nothing of the original message is kept
 * apart from the error's name (the cause keeps the rest for a debugger, never for a log line).
 */
function secretError(err: unknown, operation: string) {
  const e = (err ?? {}) as { name?: string; $metadata?: unknown; $fault?: unknown; $retryable?: unknown; code?: unknown };
  const scrubbed = Object.assign(new Error(`Secrets Manager ${operation} failed`), {
    name: e.name ?? 'Error',
    $metadata: e.$metadata,
    $fault: e.$fault,
    $retryable: e.$retryable,
    code: e.code,
  });
  return sdkError(scrubbed, 'storage', `Secrets Manager ${operation}`);
}
