/**
 * The console on the local runtime's API origin (issue 12 item 6): the built files of console/dist at
 * `/console/`, and `/console/config.json` naming this origin as the API and the local issuer for
 * sign-in. Same origin, so the API needs no CORS and the console's CSP allows `connect-src 'self'`.
 * Without a build the page says how to make one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context } from 'hono';
import { CONSOLE_CONFIG_FILE, LOCAL_CONSOLE_PATH, type ConsoleAuthConfig, type ConsoleConfig } from '../../contract/console.ts';

/**
 * The console's headers: what it may load and connect to (its own origin, plus `connectSources`:
 * the local S3 that takes attachment uploads), and no framing, sniffing or Referer. @default connectSources []
 */
export function consoleSecurityHeaders(connectSources: readonly string[] = []): Readonly<Record<string, string>> {
  return {
    'content-security-policy': `default-src 'self'; img-src 'self' data: https:; style-src 'self' 'unsafe-inline'; frame-src 'self' about:; connect-src ${["'self'", ...connectSources].join(' ')}; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}

/** {@link consoleSecurityHeaders} with no other origin to connect to. */
export const CONSOLE_SECURITY_HEADERS = consoleSecurityHeaders();

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** A content hash in a built file's name (`index-3F2A9BC1.js`): such a file never changes, so it may be cached for good. */
const HASHED_NAME = /[.-][A-Za-z0-9_]{8,}\.(?:js|css|woff2|png|svg)$/;

/**
 * console/dist of the checkout this code runs from: found by walking up to the folder holding
 * package.json, since the CLI may run from its bundle (dist/cli/chunks) or from the sources.
 */
export function defaultConsoleDir(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'postroom') return join(dir, 'console', 'dist');
    if (dirname(dir) === dir) return resolve('console', 'dist');
  }
}

/** What the console site needs: its files, and the sign-in settings for an origin. */
export interface ConsoleSiteOptions {
  /** The built console. @default defaultConsoleDir() */
  readonly dir?: string;
  readonly auth: (origin: string) => ConsoleAuthConfig;
  /** Origins besides its own the console may fetch from (CSP connect-src): the local S3 for uploads. @default [] */
  readonly connectSources?: readonly string[];
}

/** The routes of `/console` and `/console/*`. */
export function consoleSite(options: ConsoleSiteOptions): Hono {
  const root = resolve(options.dir ?? defaultConsoleDir());
  const base = LOCAL_CONSOLE_PATH.replace(/\/$/, '');
  const site = new Hono();
  const security = consoleSecurityHeaders(options.connectSources);
  site.get(base, (c) => c.redirect(LOCAL_CONSOLE_PATH, 301));
  site.get(`${LOCAL_CONSOLE_PATH}${CONSOLE_CONFIG_FILE}`, (c) => {
    // The origin the browser used (the API server admits loopback Host names only): same origin, whatever the name.
    const origin = new URL(c.req.url).origin;
    const config: ConsoleConfig = { apiUrl: origin, auth: options.auth(origin) };
    return c.json(config, 200, { ...security, 'cache-control': 'no-store' });
  });
  site.get(`${LOCAL_CONSOLE_PATH}*`, async (c) => {
    let relative: string;
    try {
      relative = decodeURIComponent(c.req.path.slice(LOCAL_CONSOLE_PATH.length)) || 'index.html';
    } catch {
      return notFound(c, security);
    }
    const file = normalize(join(root, relative));
    // Never outside the build: `..` and encoded separators are resolved before this check.
    if (!file.startsWith(root + sep) || relative.includes('\0')) return notFound(c, security);
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return relative === 'index.html' ? notBuilt(c, root, security) : notFound(c, security);
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache = HASHED_NAME.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
    return c.body(await readFile(file), 200, { ...security, 'content-type': type, 'cache-control': cache });
  });
  return site;
}

function notFound(c: Context, security: Readonly<Record<string, string>>): Response {
  return c.text('not found', 404, { ...security, 'cache-control': 'no-store' });
}

function notBuilt(c: Context, root: string, security: Readonly<Record<string, string>>): Response {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Postroom console not built</title></head>
<body><main><h1>The console is not built yet</h1><p>Run <code>npm run build:console</code> in the Postroom folder, then reload this page.</p>
<p>(Looked for <code>${root.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)}/index.html</code>.)</p></main></body></html>`;
  return c.html(html, 503, { ...security, 'cache-control': 'no-store' });
}
