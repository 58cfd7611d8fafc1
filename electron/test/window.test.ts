import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveStaticPath } from '../main/platform/staticFiles.js';
import {
  CONTENT_SECURITY_POLICY,
  guardNavigation,
  hardenedWebPreferences,
  installCsp,
  isExternalHttpUrl,
} from '../main/window.js';
import type { GuardedContents, HeaderSession } from '../main/window.js';

const fakeContents = () => {
  const listeners = new Map<string, (...args: never[]) => void>();
  let openHandler: ((d: { url: string }) => { action: 'deny' }) | undefined;
  const contents: GuardedContents = {
    on: (event: string, listener: (...args: never[]) => void) => listeners.set(event, listener),
    setWindowOpenHandler: (h) => (openHandler = h),
  } as GuardedContents;
  const navigate = (url: string): boolean => {
    let prevented = false;
    (listeners.get('will-navigate') as (e: { preventDefault(): void }, url: string) => void)(
      { preventDefault: () => (prevented = true) },
      url,
    );
    return prevented;
  };
  return { contents, navigate, open: (url: string) => openHandler?.({ url }) };
};

describe('window hardening', () => {
  it('uses isolated, sandboxed, Node-free web preferences', () => {
    expect(hardenedWebPreferences('/p.cjs')).toMatchObject({
      preload: '/p.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      webviewTag: false,
    });
  });

  it('denies all navigation and new windows; only http(s) goes to the OS browser', () => {
    const opened: string[] = [];
    const f = fakeContents();
    guardNavigation(f.contents, (url) => opened.push(url));
    expect(f.navigate('https://docs.example/amps')).toBe(true);
    expect(f.navigate('file:///etc/passwd')).toBe(true);
    expect(f.open('http://example.com/x')).toEqual({ action: 'deny' });
    expect(f.open('javascript:alert(1)')).toEqual({ action: 'deny' });
    expect(f.open('smb://share/x')).toEqual({ action: 'deny' });
    expect(opened).toEqual(['https://docs.example/amps', 'http://example.com/x']);
  });

  it('recognizes external http(s) URLs only', () => {
    expect(isExternalHttpUrl('https://a.b/c')).toBe(true);
    expect(isExternalHttpUrl('app://explorer/index.html')).toBe(false);
    expect(isExternalHttpUrl('mailto:x@y')).toBe(false);
    expect(isExternalHttpUrl('nonsense')).toBe(false);
  });

  it('sets the CSP header on every response, replacing any other', () => {
    let listener: Parameters<HeaderSession['webRequest']['onHeadersReceived']>[0] | undefined;
    installCsp({ webRequest: { onHeadersReceived: (l) => (listener = l) } });
    let out: Record<string, string[]> = {};
    listener?.(
      { responseHeaders: { 'content-security-policy': ['default-src *'], 'X-A': ['1'] } },
      (r) => (out = r.responseHeaders),
    );
    expect(out).toEqual({ 'X-A': ['1'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
    expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self' 'wasm-unsafe-eval';");
    expect(CONTENT_SECURITY_POLICY).not.toContain("'unsafe-eval'");
  });

  it('maps static paths inside the renderer folder only', () => {
    const root = resolve('/srv/renderer');
    expect(resolveStaticPath(root, '/')).toBe(resolve(root, 'index.html'));
    expect(resolveStaticPath(root, '/subscriptions/42')).toBe(resolve(root, 'index.html'));
    expect(resolveStaticPath(root, '/assets/app.js?v=1')).toBe(resolve(root, 'assets/app.js'));
    expect(resolveStaticPath(root, '/../secret.txt')).toBeUndefined();
    expect(resolveStaticPath(root, '/../../etc/passwd')).toBeUndefined();
    expect(resolveStaticPath(root, '/%2e%2e/secret.txt')).toBeUndefined();
    expect(resolveStaticPath(root, '/a%5c..%5c..%5csecret.txt')).toBeUndefined();
    expect(resolveStaticPath(root, '/%E0%A4%A')).toBeUndefined();
  });
});
