#!/usr/bin/env node
// The `postroom` bin. It runs the CLI bundle that `npm ci` builds (scripts/build-cli.mjs, into
// dist/cli) while that bundle is newer than every source it was built from: a command then starts
// in a fraction of a second. In a checkout whose sources changed since, or without a bundle, it
// registers tsx and runs the TypeScript as is (over a second per command, but always current).
import { readFileSync, statSync } from 'node:fs';

// The AWS SDK warns on every start under Node 20 that its 2027 releases will need Node 22; for an
// interactive CLI that line is noise on every command (README says which Node to use).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const bundle = new URL('../dist/cli/postroom.mjs', import.meta.url);

/** True when the bundle exists and no source listed in its inputs.json is newer or gone. */
function bundleIsFresh() {
  try {
    const builtAt = statSync(bundle).mtimeMs;
    const inputs = JSON.parse(readFileSync(new URL('inputs.json', bundle), 'utf8'));
    return inputs.every((path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs <= builtAt);
  } catch {
    return false; // no bundle, or an unreadable one: the sources are always right
  }
}

if (bundleIsFresh()) {
  await import(bundle.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('./postroom.ts');
}
