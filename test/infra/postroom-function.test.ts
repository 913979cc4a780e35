import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template, Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { PostroomFunction, handlerEntry } from '../../lib/constructs/postroom-function.ts';
import { newStack, resourcesOf, roleStatements } from './app-fixture.ts';

describe('PostroomFunction', () => {
  let template: Template;
  let assetDir: string;
  let logGroupId: string;

  beforeAll(() => {
    const stack = newStack();
    const fn = new PostroomFunction(stack, 'Fn', { entry: handlerEntry('api'), description: 'test function', environment: { A: 'b' } });
    template = Template.fromStack(stack);
    // The staged bundle lives in the cloud assembly as asset.<hash>, the hash being the S3 key's.
    const s3Key = resourcesOf(template, 'AWS::Lambda::Function')[0]![1].Properties.Code.S3Key as string;
    assetDir = join((stack.node.root as App).synth().directory, `asset.${s3Key.replace(/\.zip$/, '')}`);
    logGroupId = stack.getLogicalId(fn.logGroup.node.defaultChild as never);
  });

  it('runs on Node.js 22.x, arm64, with source maps enabled', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 10,
      MemorySize: 256,
      Environment: { Variables: { A: 'b', NODE_OPTIONS: '--enable-source-maps' } },
    });
  });

  it('logs to its own log group, which has a retention and outlives the stack', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { LoggingConfig: { LogGroup: { Ref: logGroupId } } });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 90 },
      DeletionPolicy: 'Retain',
    });
  });

  it('has a role without managed policies whose only permission is writing its log group', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: Match.absent(),
      AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'lambda.amazonaws.com' } })] },
    });
    expect(roleStatements(template, 'FnRole')).toEqual([
      { Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Resource: { 'Fn::GetAtt': [logGroupId, 'Arn'] } },
    ]);
  });

  it('ships a minified ES module with the createRequire banner and a source map', () => {
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(bundle.startsWith("import { createRequire } from 'module'; const require = createRequire(import.meta.url);")).toBe(true);
    expect(bundle).toMatch(/export\s*\{[^}]*handler/);
    // Minified: a few very long lines (template literals keep their own newlines), not source layout.
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1_000);
    expect(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8')).toContain('"sources"');
  });
});
