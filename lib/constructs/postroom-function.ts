/**
 * One Postroom Lambda: a handler file from lambdas/handlers bundled by the local esbuild into an
 * ES module, with its own log group and its own role.
 */
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type { IGrantable, IPrincipal } from 'aws-cdk-lib/aws-iam';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, type IFunction } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: lock file, tsconfig and node_modules for esbuild. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The handler file of one Lambda, by its name in lambdas/handlers (e.g. 'routing'). A path string
 * for esbuild, not an import: lib never imports lambdas/ code (they share only contract/).
 */
export function handlerEntry(name: string): string {
  return fileURLToPath(new URL(`../../lambdas/handlers/${name}.ts`, import.meta.url));
}

/**
 * Package aliases of every bundle. Lambda's credentials are always in the environment, so the SDK's
 * default credential chain is replaced by environment credentials only (lambdas/adapters/
 * lambda-credentials.ts says why: about 100 KiB less in every cold start).
 */
export const POSTROOM_BUNDLE_ALIASES = {
  '@aws-sdk/credential-provider-node': './lambdas/adapters/lambda-credentials.ts',
  // libmime ships an ESM and a CommonJS build; mailparser requires it and mailsplit imports it, so
  // without one path for both the bundle carries it twice (88 KiB).
  libmime: './node_modules/libmime/dist/cjs/libmime.js',
  // The same for the HTML stack under sanitize-html and mailparser (sanitize-html requires it,
  // mailparser's html-to-text imports it): about 140 KiB twice otherwise.
  htmlparser2: './node_modules/htmlparser2/dist/commonjs/index.js',
  'dom-serializer': './node_modules/dom-serializer/lib/index.js',
  domhandler: './node_modules/domhandler/lib/index.js',
  domutils: './node_modules/domutils/lib/index.js',
  domelementtype: './node_modules/domelementtype/lib/index.js',
} as const;

/**
 * How every Postroom handler is bundled, shared with test/bench/bundle-size.bench.ts so the figure
 * it prints is the size that ships.
 *
 * Why these options: the local esbuild (a devDependency) keeps synth free of Docker; ESM output
 * with the createRequire banner lets CommonJS dependencies (mailparser, iconv-lite) call `require`
 * inside an ES module; `module` before `main` picks the tree-shakeable ESM builds. Nothing is
 * external, not even the AWS SDK: the code ships with the SDK version it was tested with, and ESM
 * imports of the runtime-provided SDK depend on Lambda's module-path details we do not want to rely on.
 */
export const POSTROOM_BUNDLING = {
  forceDockerBundling: false,
  format: OutputFormat.ESM,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  minify: true,
  sourceMap: true,
  externalModules: [],
  esbuildArgs: Object.fromEntries(Object.entries(POSTROOM_BUNDLE_ALIASES).map(([pkg, path]) => [`--alias:${pkg}`, path])),
} as const satisfies BundlingOptions;

/** The runtime all Postroom functions share; the bundle target above must match it. */
export const POSTROOM_RUNTIME = Runtime.NODEJS_22_X;

/** What differs between Postroom functions; everything else is shared on purpose. */
export interface PostroomFunctionProps {
  /** Absolute path of the handler file (see {@link handlerEntry}). */
  readonly entry: string;
  /** What the function does, shown in the console. */
  readonly description: string;
  /** How long one invocation may run. @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** Memory in MB (Lambda gives CPU in proportion). @default 256 */
  readonly memorySize?: number;
  /**
   * Set by the construct that owns the function, in that one place (STYLE habit 4), under the names
   * of contract/environment.ts. @default - only NODE_OPTIONS (source maps), which every function gets
   */
  readonly environment?: Readonly<Record<string, string>>;
  /** Retention of the function's own log group. @default RetentionDays.THREE_MONTHS */
  readonly logRetention?: RetentionDays;
}

/**
 * What a binding needs of a Postroom function (e.g. `DeadLetters.bindRedrive`): its role, to grant
 * to, and a way to set one environment variable.
 */
export interface IPostroomFunction extends IGrantable {
  /** The Lambda function itself, e.g. for metrics and event sources. */
  readonly function: IFunction;
  /** Sets one environment variable of the function (names from contract/environment.ts). */
  addEnvironment(key: string, value: string): void;
}

/** Sets each of `entries` (e.g. IInteractionTables.environment()) on `fn`, in their order. */
export function addEnvironmentEntries(fn: IPostroomFunction, entries: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(entries)) fn.addEnvironment(name, value);
}

/**
 * A Node.js 22.x arm64 Lambda bundled with {@link POSTROOM_BUNDLING}. It gets its own log group
 * (retention as given, RETAIN on stack deletion so mail-processing history survives) and its own
 * role whose only built-in permission is writing to that log group: no AWSLambdaBasicExecutionRole,
 * whose `logs:*` on every log group is more than a function needs. Everything else arrives through
 * the grants of the constructs that own the data.
 */
export class PostroomFunction extends Construct implements IPostroomFunction {
  /** The bundled Lambda function. */
  readonly function: NodejsFunction;
  /** The function's own execution role; grants go here. */
  readonly role: Role;
  /** The function's own log group (retained on stack deletion). */
  readonly logGroup: LogGroup;
  /** The role, as the principal grants add statements to. */
  readonly grantPrincipal: IPrincipal;

  constructor(scope: Construct, id: string, props: PostroomFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'Logs', {
      retention: props.logRetention ?? RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.description}`,
    });
    this.logGroup.grantWrite(this.role);
    this.function = new NodejsFunction(this, 'Function', {
      entry: props.entry,
      description: props.description,
      runtime: POSTROOM_RUNTIME,
      architecture: Architecture.ARM_64,
      timeout: props.timeout ?? Duration.seconds(10),
      memorySize: props.memorySize ?? 256,
      role: this.role,
      logGroup: this.logGroup,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      bundling: POSTROOM_BUNDLING,
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
    });
    this.grantPrincipal = this.role;
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Postroom targets Node.js 22.x deliberately (the runtime its bundles and tests are built for); moving to 24.x is a tested upgrade, not a default.',
    });
  }

  /** Sets one environment variable of the function, for the binding that owns it. */
  addEnvironment(key: string, value: string): void {
    this.function.addEnvironment(key, value);
  }

  /**
   * Acknowledges one cdk-nag finding on this function's role policy, e.g. an IAM5 object-prefix
   * wildcard a grant had to use. Scoped to that policy so nothing else on the role is hidden.
   */
  acknowledgePolicyFinding(id: string, reason: string): void {
    const policy = this.role.node.tryFindChild('DefaultPolicy');
    if (!policy) throw new Error(`${this.node.path} has no role policy to acknowledge ${id} on`);
    Validations.of(policy).acknowledge({ id, reason });
  }
}
