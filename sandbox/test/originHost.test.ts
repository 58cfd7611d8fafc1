/**
 * A web page must not reach the local sandbox (hardening issue, item 4): the WebSocket listener
 * checks Origin, the admin endpoint checks Host.
 */
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { isAllowedOrigin, isLoopbackHost } from '../src/net/originPolicy.js';
import type { SandboxServer } from '../src/server.js';
import { startServer } from './helpers.js';

let server: SandboxServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Opens a WebSocket with the given Origin: resolves `open`, or the HTTP status it was refused with. */
function tryWs(port: number, origin: string | undefined): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/amps/json`, origin === undefined ? {} : { origin });
    const timer = setTimeout(() => reject(new Error('no answer within 3 s')), 3000);
    ws.once('open', () => {
      clearTimeout(timer);
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    ws.once('error', () => {});
  });
}

/** GET on the admin port with a chosen Host header. */
function adminGet(port: number, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/stats', headers: { host }, timeout: 3000 },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.end();
  });
}

describe('origin and host policy', () => {
  it('accepts no Origin, loopback origins and the app scheme; refuses the rest', () => {
    for (const o of [
      undefined,
      'http://127.0.0.1:5173',
      'http://localhost',
      'https://[::1]:8443',
      'app://explorer',
    ])
      expect(isAllowedOrigin(o), String(o)).toBe(true);
    for (const o of [
      'https://evil.example',
      'null',
      'http://127.0.0.1.evil.example',
      'http://10.0.0.5:9008',
      'file://',
      'http://localhost:80/path',
      'ftp://127.0.0.1',
      'app://other',
    ])
      expect(isAllowedOrigin(o), o).toBe(false);
    expect(isAllowedOrigin('https://tools.example', ['https://tools.example'])).toBe(true);
  });

  it('accepts only loopback Host names with the listener port', () => {
    expect(isLoopbackHost('127.0.0.1:8085', 8085)).toBe(true);
    expect(isLoopbackHost('localhost:8085', 8085)).toBe(true);
    expect(isLoopbackHost('[::1]:8085', 8085)).toBe(true);
    for (const h of [undefined, '127.0.0.1', '127.0.0.1:8086', 'evil.example:8085', '127.0.0.1.nip.io:8085'])
      expect(isLoopbackHost(h, 8085), String(h)).toBe(false);
  });
});

describe('WebSocket listener', () => {
  it('lets non-browser clients and loopback pages connect, and refuses other origins with 403', async () => {
    server = await startServer({ wsPort: 0 });
    const port = server.ports.ws as number;
    expect(await tryWs(port, undefined)).toBe('open');
    expect(await tryWs(port, 'http://127.0.0.1:4173')).toBe('open');
    expect(await tryWs(port, 'app://explorer')).toBe('open');
    expect(await tryWs(port, 'https://evil.example')).toBe(403);
    expect(await tryWs(port, 'null')).toBe(403);
    expect(server.broker.sessions.size).toBe(0);
  });

  it('accepts an origin the configuration names', async () => {
    server = await startServer({ wsPort: 0, allowedOrigins: ['https://tools.example'] });
    const port = server.ports.ws as number;
    expect(await tryWs(port, 'https://tools.example')).toBe('open');
    expect(await tryWs(port, 'https://tools.example.evil')).toBe(403);
  });
});

describe('admin endpoint', () => {
  it('answers loopback host names with its port and refuses any other Host with 403', async () => {
    server = await startServer({ adminPort: 0 });
    const port = server.ports.admin as number;
    expect((await adminGet(port, `127.0.0.1:${port}`)).status).toBe(200);
    expect((await adminGet(port, `localhost:${port}`)).status).toBe(200);
    const rebound = await adminGet(port, `attacker.example:${port}`);
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('loopback host names');
    expect((await adminGet(port, `127.0.0.1:${port + 1}`)).status).toBe(403);
  });
});
