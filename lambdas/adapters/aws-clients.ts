/**
 * AWS SDK clients, created once per module (per Lambda container) and injected into adapters.
 *
 * Endpoints come from the SDK's own `AWS_ENDPOINT_URL_<SERVICE>` variables; when an S3 endpoint is
 * set (the local runtime, pointing at fauxqs) path-style addressing is used, because local
 * emulators have no wildcard DNS for virtual-hosted buckets.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { callContextOf, SignedS3, SignedSqs } from './aws/signed-request.ts';

let dynamo: DynamoDBDocumentClient | undefined;
let s3: S3Client | undefined;
let sqs: SQSClient | undefined;

/** The document client, with `undefined` attributes removed as our items have optional fields. */
export function documentClient(): DynamoDBDocumentClient {
  dynamo ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return dynamo;
}

export function s3Client(): S3Client {
  s3 ??= new S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3) });
  return s3;
}

let signedS3Client: SignedS3 | undefined;
let signedSqsClient: SignedSqs | undefined;

/**
 * Signed S3 reads and presigned GETs with the DynamoDB client's credentials and region, for the API
 * Lambda (no S3 SDK client in its bundle); honours `AWS_ENDPOINT_URL_S3` as the SDK would.
 */
export function signedS3(): SignedS3 {
  signedS3Client ??= new SignedS3(callContextOf(documentClient()), process.env.AWS_ENDPOINT_URL_S3 || undefined);
  return signedS3Client;
}

/** Signed SQS JSON-protocol calls with the DynamoDB client's credentials and region (API Lambda). */
export function signedSqs(): SignedSqs {
  signedSqsClient ??= new SignedSqs(callContextOf(documentClient()), process.env.AWS_ENDPOINT_URL_SQS || undefined);
  return signedSqsClient;
}

/**
 * The SQS client (redrive sends to the inbound queue). Why not the queue URL's host as endpoint
 * (the SDK's default): in AWS both are the same, and locally the emulator's queue URLs carry a
 * host that is no URL at all, so the resolved endpoint (AWS_ENDPOINT_URL_SQS) is used.
 */
export function sqsClient(): SQSClient {
  sqs ??= new SQSClient({ useQueueUrlAsEndpoint: false });
  return sqs;
}
