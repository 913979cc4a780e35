/**
 * esbuild options for one Lambda handler, exactly as PostroomFunction's NodejsFunction bundles it
 * (POSTROOM_BUNDLING), so benchmarks and tests look at the artifact CDK deploys.
 */
import type { BuildOptions } from 'esbuild';
import { POSTROOM_BUNDLE_ALIASES, POSTROOM_BUNDLING, PROJECT_ROOT, handlerEntry } from '../../lib/constructs/postroom-function.ts';

export function handlerBuildOptions(handler: string): BuildOptions {
  return {
    entryPoints: [handlerEntry(handler)],
    absWorkingDir: PROJECT_ROOT,
    bundle: true,
    platform: 'node',
    target: POSTROOM_BUNDLING.target,
    format: POSTROOM_BUNDLING.format,
    mainFields: [...POSTROOM_BUNDLING.mainFields],
    banner: { js: POSTROOM_BUNDLING.banner },
    minify: POSTROOM_BUNDLING.minify,
    external: [...POSTROOM_BUNDLING.externalModules],
    alias: { ...POSTROOM_BUNDLE_ALIASES },
    logLevel: 'error',
  };
}
