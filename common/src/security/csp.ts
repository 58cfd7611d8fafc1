/**
 * The renderer's Content-Security-Policy. Everything is `'self'` except:
 * - `style-src 'unsafe-inline'`: Svelte transitions and the Monaco editor set inline styles;
 *   styles cannot run code, so this does not open script injection.
 * - `img-src data:`: Monaco and small UI icons are embedded as data URIs.
 * - `worker-src blob:`: Monaco starts its language workers from blob URLs.
 * - `script-src 'wasm-unsafe-eval'`: the SOW grid's optional perspective engine compiles its
 *   WebAssembly (served from 'self'); this allows compiling WASM only, never `eval`/`Function`
 *   (no `'unsafe-eval'`). Its worker is bundled from 'self' (not its default `blob:` worker).
 *   `<perspective-viewer>` would also need `style-src 'unsafe-inline'` (allowed above already);
 *   the app draws perspective's view itself and does not use it.
 * `connect-src 'self'` also covers the browser host's same-origin WebSocket.
 * Sent as a response header (Electron and browser host) and meant for a meta tag in the
 * renderer's index.html too; browsers ignore `frame-ancestors` in a meta tag, hence the header.
 */
export const CONTENT_SECURITY_POLICY: string = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
