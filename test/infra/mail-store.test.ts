import { Template, Match } from 'aws-cdk-lib/assertions';
import { Grant, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { beforeAll, describe, expect, it } from 'vitest';
import { grantObjectPrefix } from '../../lib/constructs/acknowledgements.ts';
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

  it('returns every grant as an iam.Grant holding exactly the statement it added, by prefix', () => {
    // Prepare
    const stack = newStack();
    const store = new MailStore(stack, 'MailStore');
    let roles = 0;
    const role = () => new Role(stack, `Grantee${roles++}`, { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const bucketArn = { 'Fn::GetAtt': [stack.getLogicalId(store.bucket.node.defaultChild as never), 'Arn'] };
    const objects = (prefix: string) => [{ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] }];
    const granted = (grant: Grant) => {
      expect(grant).toBeInstanceOf(Grant);
      expect(grant.success).toBe(true);
      return grant.principalStatements.map((s) => ({ actions: [...s.actions].sort(), resources: stack.resolve(s.resources) }));
    };

    // Act and Assess
    expect(granted(store.grantReadRaw(role()))).toEqual([{ actions: ['s3:GetObject'], resources: objects('inbound/') }]);
    expect(granted(store.grantWriteParts(role()))).toEqual([{ actions: ['s3:AbortMultipartUpload', 's3:PutObject'], resources: objects('parts/') }]);
    expect(granted(store.grantReadParts(role()))).toEqual([{ actions: ['s3:GetObject'], resources: objects('parts/') }]);
    expect(granted(store.grantWriteDeadLetters(role()))).toEqual([{ actions: ['s3:PutObject'], resources: objects('dead-letters/') }]);
    expect(granted(store.grantReadDeadLetters(role()))).toEqual([{ actions: ['s3:GetObject'], resources: objects('dead-letters/') }]);
    const list = store.grantListRaw(role());
    expect(granted(list)).toEqual([{ actions: ['s3:ListBucket'], resources: [bucketArn] }]);
    expect(list.principalStatements[0]!.conditions).toEqual({ StringLike: { 's3:prefix': ['inbound/*'] } });
  });

  it('refuses an object-prefix grant with a wildcard action, which no acknowledgement may cover', () => {
    const stack = newStack();
    const store = new MailStore(stack, 'MailStore');
    const grantee = new Role(stack, 'Grantee', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    expect(() => grantObjectPrefix({ grantee, actions: ['s3:Get*'], resourceArns: [store.bucket.arnForObjects('inbound/*')] }, 'why')).toThrow(
      'grant actions must be explicit, got s3:Get*',
    );
  });

  it('lets one browser origin use presigned URLs (CORS put on deploy, removed with the stack), with only the rights to set CORS', () => {
    // Prepare
    const stack = newStack();
    const store = new MailStore(stack, 'MailStore');
    // Act
    store.allowBrowserAccess('https://console.example.net');
    // Assess
    const t = Template.fromStack(stack);
    const [, cors] = resourcesOf(t, 'Custom::AWS')[0]!;
    const create = JSON.stringify(cors.Properties.Create);
    expect(create).toContain('putBucketCors');
    expect(create).toContain('"AllowedOrigins\\":[\\"https://console.example.net\\"]');
    expect(create).toContain('"AllowedMethods\\":[\\"PUT\\",\\"GET\\",\\"HEAD\\"]');
    expect(create).not.toContain('\\"*\\"');
    expect(JSON.stringify(cors.Properties.Delete)).toContain('deleteBucketCors');
    const policy = resourcesOf(t, 'AWS::IAM::Policy').find(([id]) => id.startsWith('MailStoreBrowserCors'))![1];
    expect(policy.Properties.PolicyDocument.Statement).toEqual([
      { Action: 's3:PutBucketCORS', Effect: 'Allow', Resource: { 'Fn::GetAtt': [stack.getLogicalId(store.bucket.node.defaultChild as never), 'Arn'] } },
    ]);
  });
});
