import { readFile } from 'node:fs/promises';
import type { Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../window.js';
import { contentTypeOf, resolveStaticPath } from './staticFiles.js';

/** The app's own scheme and origin: the renderer is served from `app://explorer/`. */
export const APP_SCHEME = 'app';
export const APP_ORIGIN = 'app://explorer';
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/** Must run before `app` is ready: makes `app://` a standard, secure scheme. */
export function registerAppScheme(protocol: Pick<Protocol, 'registerSchemesAsPrivileged'>): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer folder on `app://explorer/`, with the CSP header. */
export function handleAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url);
    const file = url.host === 'explorer' ? resolveStaticPath(rendererDir, url.pathname) : undefined;
    if (file === undefined) return new Response('forbidden', { status: 403 });
    try {
      const body = await readFile(file);
      return new Response(body, {
        headers: {
          'Content-Type': contentTypeOf(file),
          'Content-Security-Policy': CONTENT_SECURITY_POLICY,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    } catch {
      return new Response('not found', { status: 404 });
    }
  });
}
