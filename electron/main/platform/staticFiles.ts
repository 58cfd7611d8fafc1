import { extname, resolve, sep } from 'node:path';

/** Content types of the files a built renderer contains. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type of a file path, `application/octet-stream` when unknown. */
export const contentTypeOf = (path: string): string =>
  CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';

/**
 * Maps a URL path onto a file under `root`, or undefined when it would leave `root`
 * (`..`, encoded separators, NUL). `/` and extension-less paths (client-side routes) give
 * `index.html`.
 */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split(/[?#]/, 1)[0] ?? '/');
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const rootAbs = resolve(root);
  const relative = decoded.replace(/^\/+/, '');
  const full = resolve(rootAbs, relative);
  if (full !== rootAbs && !full.startsWith(rootAbs + sep)) return undefined;
  return relative === '' || extname(relative) === '' ? resolve(rootAbs, 'index.html') : full;
}
