/**
 * Builds CDK apps for the infrastructure tests with the same feature flags as `cdk.json`, so the
 * templates asserted here are the templates `cdk synth` produces.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { PostroomStack } from '../../lib/postroom-stack.ts';
import type { PostroomStackProps } from '../../lib/postroom-stack-props.ts';

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
  context: Record<string, unknown>;
};

/** The feature flags of cdk.json, without Postroom's own example settings. */
export const FEATURE_FLAGS: Record<string, unknown> = Object.fromEntries(
  Object.entries(cdkJson.context).filter(([key]) => !key.startsWith('postroom:')),
);

/**
 * A fresh app with cdk.json's feature flags. `defaultRules: false` skips aws-cdk-lib's built-in
 * CloudFormation rule validation, whose engine takes seconds to start in every test file; the
 * whole-stack tests keep it on, so the shipped template is still checked against those rules.
 */
export function newApp(options: { defaultRules?: boolean } = {}): App {
  return new App({
    context: { ...FEATURE_FLAGS, '@aws-cdk/core:validateAgainstDefaultRules': options.defaultRules ?? true },
  });
}

/** An empty stack in a fresh app (default rules off), for testing one construct. */
export function newStack(): Stack {
  return new Stack(newApp({ defaultRules: false }), 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
}

/**
 * The timeout of a test that builds whole Postroom stacks in its body (not in a hook): each bundles
 * every Lambda with esbuild and runs the default rules, about 20 s alone and over the 60 s default
 * on a loaded two-core CI machine.
 */
export const WHOLE_STACK_TIMEOUT_MS = 240_000;

/**
 * A stand-in for the built console (console/dist), so the infrastructure tests do not depend on the
 * console's build having run.
 */
export const CONSOLE_FIXTURE = fileURLToPath(new URL('../fixtures/console-dist/', import.meta.url));

/** The whole Postroom stack in a fresh app (the console from {@link CONSOLE_FIXTURE}). */
export function newPostroomStack(props: Partial<PostroomStackProps> = {}): PostroomStack {
  return new PostroomStack(newApp(), 'Postroom', {
    domains: [{ name: 'support.example.com' }, { name: 'help.example.org' }],
    env: { account: '111111111111', region: 'eu-west-1' },
    consoleAssetsPath: CONSOLE_FIXTURE,
    ...props,
  });
}

/** The resources of `type` in `template`, as [logicalId, resource] pairs. */
export function resourcesOf(template: Template, type: string): [string, { Properties: Record<string, any>; [k: string]: any }][] {
  return Object.entries(template.findResources(type)) as [string, { Properties: Record<string, any> }][];
}

/** The statements of the identity policies attached to the role whose logical id starts with `rolePrefix`. */
export function roleStatements(template: Template, rolePrefix: string): any[] {
  return resourcesOf(template, 'AWS::IAM::Policy')
    .filter(([, p]) => (p.Properties.Roles as { Ref: string }[]).some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as any[]);
}
