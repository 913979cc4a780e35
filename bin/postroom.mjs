#!/usr/bin/env node
// The `postroom` bin: registers tsx so the TypeScript CLI runs as is, then hands over to it.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on every start under Node 20 that its 2027 releases will need Node 22; for an
// interactive CLI that line is noise on every command (README says which Node to use).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('./postroom.ts');
