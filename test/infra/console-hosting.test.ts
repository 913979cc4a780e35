import { Template, Match } from 'aws-cdk-lib/assertions';
import { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import { Certificate } from 'aws-cdk-lib/aws-certificatemanager';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleConfig } from '../../contract/console.ts';
import { ContextError } from '../../lib/context-error.ts';
import { ConsoleHosting, consoleCsp } from '../../lib/constructs/console-hosting.ts';
import { CONSOLE_FIXTURE, newStack, resourcesOf } from './app-fixture.ts';

const AUTH = 'https://acme.auth.eu-west-1.amazoncognito.com';
const CONFIG: ConsoleConfig = {
  apiUrl: 'https://console.example.net/api',
  auth: { issuer: 'https://issuer.example', authorizeUrl: `${AUTH}/oauth2/authorize`, tokenUrl: `${AUTH}/oauth2/token`, logoutUrl: `${AUTH}/logout`, clientId: 'client-1', scopes: ['openid'] },
};

describe('ConsoleHosting', () => {
  let template: Template;
  let bucketId: string;
  let logBucketId: string;
  let apiId: string;
  let hosting: ConsoleHosting;

  beforeAll(() => {
    const stack = newStack();
    hosting = new ConsoleHosting(stack, 'Console', { assetsPath: CONSOLE_FIXTURE, connectSources: [AUTH] });
    const api = new HttpApi(stack, 'Api');
    hosting.addApi(api);
    hosting.deploy(CONFIG);
    template = Template.fromStack(stack);
    bucketId = stack.getLogicalId(hosting.bucket.node.defaultChild as never);
    logBucketId = stack.getLogicalId(hosting.logBucket.node.defaultChild as never);
    apiId = stack.getLogicalId(api.node.defaultChild as never);
  });

  it('keeps the assets in a private, encrypted, versioned, TLS-only bucket with server access logs', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: { DestinationBucketName: { Ref: logBucketId }, LogFilePrefix: 'console-bucket/' },
    });
    const policy = resourcesOf(template, 'AWS::S3::BucketPolicy').find(([, p]) => p.Properties.Bucket.Ref === bucketId)![1];
    const statements = policy.Properties.PolicyDocument.Statement as { Effect: string; Condition?: unknown; Principal?: unknown }[];
    expect(statements).toContainEqual(expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }));
    // the only reader is CloudFront, for this distribution (origin access control)
    const reads = statements.filter((s) => s.Effect === 'Allow');
    expect(reads).toHaveLength(1);
    expect(reads[0]!.Principal).toEqual({ Service: 'cloudfront.amazonaws.com' });
    expect(JSON.stringify(reads[0]!.Condition)).toContain('AWS:SourceArn');
  });

  it('serves index.html at the root over HTTPS (HTTP redirects) through origin access control, and logs every request', () => {
    const [, distribution] = resourcesOf(template, 'AWS::CloudFront::Distribution')[0]!;
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultRootObject).toBe('index.html');
    expect(config.DefaultCacheBehavior.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(config.Logging).toEqual({ Bucket: { 'Fn::GetAtt': [logBucketId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' });
    const s3Origin = config.Origins.find((o: { S3OriginConfig?: unknown }) => o.S3OriginConfig);
    expect(s3Origin.DomainName).toEqual({ 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    expect(s3Origin.OriginAccessControlId).toBeDefined();
    template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', { OriginAccessControlConfig: Match.objectLike({ SigningBehavior: 'always', SigningProtocol: 'sigv4', OriginAccessControlOriginType: 's3' }) });
    // default certificate: CloudFront fixes the protocols; no custom domain is named
    expect(config.ViewerCertificate).toBeUndefined();
    expect(config.Aliases).toBeUndefined();
  });

  it('adds HSTS, nosniff, frame DENY, no-referrer and the console CSP to every answer, API answers included', () => {
    const [[policyId, policy]] = resourcesOf(template, 'AWS::CloudFront::ResponseHeadersPolicy') as [[string, { Properties: Record<string, any> }]];
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.StrictTransportSecurity).toEqual({ AccessControlMaxAgeSec: 730 * 86400, IncludeSubdomains: true, Override: true });
    expect(headers.ContentTypeOptions).toEqual({ Override: true });
    expect(headers.FrameOptions).toEqual({ FrameOption: 'DENY', Override: true });
    expect(headers.ReferrerPolicy).toEqual({ ReferrerPolicy: 'no-referrer', Override: true });
    expect(headers.ContentSecurityPolicy.ContentSecurityPolicy).toBe(
      `default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; connect-src 'self' ${AUTH}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    const [, distribution] = resourcesOf(template, 'AWS::CloudFront::Distribution')[0]!;
    const config = distribution.Properties.DistributionConfig;
    expect(config.DefaultCacheBehavior.ResponseHeadersPolicyId).toEqual({ Ref: policyId });
    expect(config.CacheBehaviors[0].ResponseHeadersPolicyId).toEqual({ Ref: policyId });
  });

  it('puts the API at /api/* on the same origin: HTTPS only, uncached, Authorization forwarded, the prefix stripped', () => {
    const [, distribution] = resourcesOf(template, 'AWS::CloudFront::Distribution')[0]!;
    const config = distribution.Properties.DistributionConfig;
    const [api, ...more] = config.CacheBehaviors;
    expect(more).toEqual([]);
    expect(api).toMatchObject({
      PathPattern: '/api/*',
      ViewerProtocolPolicy: 'https-only',
      AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
      CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
      OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
    });
    const origin = config.Origins.find((o: { Id: string }) => o.Id === api.TargetOriginId);
    expect(JSON.stringify(origin.DomainName)).toContain(apiId);
    expect(origin.CustomOriginConfig).toMatchObject({ OriginProtocolPolicy: 'https-only', OriginSSLProtocols: ['TLSv1.2'] });
    // the viewer-request function turns /api/queues into /queues
    const [, fn] = resourcesOf(template, 'AWS::CloudFront::Function')[0]!;
    expect(api.FunctionAssociations).toEqual([{ EventType: 'viewer-request', FunctionARN: expect.anything() }]);
    const handler = new Function(`${fn.Properties.FunctionCode}; return handler;`)() as (e: { request: { uri: string } }) => { uri: string };
    expect(handler({ request: { uri: '/api/queues/default' } }).uri).toBe('/queues/default');
    expect(handler({ request: { uri: '/api' } }).uri).toBe('/');
    expect(handler({ request: { uri: '/apiary' } }).uri).toBe('/apiary');
  });

  it('uploads the built console with config.json, prunes old files and invalidates the distribution', () => {
    const [, deployment] = resourcesOf(template, 'Custom::CDKBucketDeployment')[0]!;
    expect(deployment.Properties).toMatchObject({ DestinationBucketName: { Ref: bucketId }, Prune: true, DistributionPaths: ['/*'] });
    expect(deployment.Properties.SourceObjectKeys).toHaveLength(2);
    expect(JSON.stringify(deployment.Properties)).not.toContain('client-1'); // config.json is an asset of its own, not inline
    expect(hosting.apiUrl).toMatch(/\/api$/);
    expect(hosting.url).toMatch(/\/$/);
  });

  it('refuses to synthesize without a built console, saying how to build it', () => {
    expect(() => new ConsoleHosting(newStack(), 'Console', { assetsPath: '/nonexistent/console/dist' })).toThrow(ContextError);
    expect(() => new ConsoleHosting(newStack(), 'Console', { assetsPath: '/nonexistent/console/dist' })).toThrow(/npm run build:console/);
  });

  it('with its own domain: the alias, the certificate and TLS 1.2 (2021) at least', () => {
    const stack = newStack();
    const certificate = Certificate.fromCertificateArn(stack, 'Cert', 'arn:aws:acm:us-east-1:111111111111:certificate/abc');
    const own = new ConsoleHosting(stack, 'Console', { assetsPath: CONSOLE_FIXTURE, customDomain: { domainName: 'console.acme.com', certificate } });
    const [, distribution] = resourcesOf(Template.fromStack(stack), 'AWS::CloudFront::Distribution')[0]!;
    expect(distribution.Properties.DistributionConfig).toMatchObject({
      Aliases: ['console.acme.com'],
      ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/abc', MinimumProtocolVersion: 'TLSv1.2_2021', SslSupportMethod: 'sni-only' },
    });
    expect(own.url).toBe('https://console.acme.com/');
  });

  it('builds the CSP with connect-src limited to its own origin and the given ones', () => {
    expect(consoleCsp([])).toContain("connect-src 'self'; object-src");
    expect(consoleCsp(['https://a.example', 'https://b.example'])).toContain("connect-src 'self' https://a.example https://b.example;");
  });
});
