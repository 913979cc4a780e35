import { Template, Match } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { MailStore } from '../../lib/constructs/mail-store.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('MailStore', () => {
  let template: Template;
  let mailBucketId: string;
  let logBucketId: string;

  beforeAll(() => {
    const stack = newStack();
    const store = new MailStore(stack, 'MailStore');
    store.grantReadRaw(new Role(stack, 'Reader', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    store.grantWriteParts(new Role(stack, 'Writer', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') }));
    template = Template.fromStack(stack);
    mailBucketId = stack.getLogicalId(store.bucket.node.defaultChild as never);
    logBucketId = stack.getLogicalId(store.accessLogBucket.node.defaultChild as never);
  });

  it('keeps raw mail versioned, encrypted, private and logged to the access-log bucket', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        VersioningConfiguration: { Status: 'Enabled' },
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'mail/' },
        LifecycleConfiguration: {
          Rules: [Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 30 }, Status: 'Enabled' })],
        },
      }),
      DeletionPolicy: 'Retain',
    });
  });

  it('encrypts the access-log bucket too', () => {
    const [, logBucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) => id === logBucketId)!;
    expect(logBucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm).toBe('AES256');
  });

  it('denies every request without TLS on both buckets', () => {
    for (const id of [mailBucketId, logBucketId]) {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('grants raw-mail readers s3:GetObject under inbound/ only', () => {
    expect(roleStatements(template, 'Reader')).toEqual([
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [mailBucketId, 'Arn'] }, '/inbound/*']] },
      },
    ]);
  });

  it('grants part writers put and abort under parts/ only', () => {
    expect(roleStatements(template, 'Writer')).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:PutObject'],
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [mailBucketId, 'Arn'] }, '/parts/*']] },
      },
    ]);
  });
});
