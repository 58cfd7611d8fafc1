import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidTransportOptionsError } from '../../src/errors.js';
import { Client } from '../../src/client.js';
import { connectTransport } from '../../src/transport/connect.js';
import { MAX_TLS_FILE_BYTES, readTlsFile } from '../../src/transport/tlsFile.js';
import { Recorder } from './helpers.js';
import { makeCertificate, startTlsServer, type Certificate, type TlsTestServer } from './tlsFixture.js';

const REFUSED = /^cannot use the (ca|cert|key) file: not a readable regular file of at most 1 MiB$/;

let dir: string;
let fifo: string;
let cert: Certificate;
let server: TlsTestServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amps-tlsfile-'));
  fifo = join(dir, 'pipe');
  execFileSync('mkfifo', [fifo]);
  writeFileSync(join(dir, 'big.pem'), Buffer.alloc(MAX_TLS_FILE_BYTES + 1, 0x41));
  writeFileSync(join(dir, 'exact.pem'), Buffer.alloc(MAX_TLS_FILE_BYTES, 0x41));
  cert = makeCertificate();
  server = await startTlsServer(cert);
});

afterAll(async () => {
  for (const s of server.sockets.splice(0)) s.destroy();
  await server.close();
  cert.remove();
  rmSync(dir, { recursive: true, force: true });
});

async function refusal(promise: Promise<unknown>): Promise<InvalidTransportOptionsError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidTransportOptionsError);
  return error as InvalidTransportOptionsError;
}

describe('readTlsFile', () => {
  it('refuses a device, a FIFO, a directory, a file over 1 MiB and a missing file with one message', async () => {
    const paths = ['/dev/zero', fifo, dir, join(dir, 'big.pem'), join(dir, 'missing.pem')];
    const messages = [];
    for (const path of paths) {
      const error = await refusal(readTlsFile('ca', path));
      expect(error.message).toMatch(REFUSED);
      expect(error.code).toBe('tls file');
      expect(error.retriable).toBe(false);
      expect(error.cause).toBeUndefined();
      messages.push(error.message);
    }
    // Nothing tells a missing file from one that exists but is not usable.
    expect(new Set(messages).size).toBe(1);
  });

  it('reads a regular file of exactly 1 MiB, and names the option it is for', async () => {
    expect((await readTlsFile('key', join(dir, 'exact.pem'))).length).toBe(MAX_TLS_FILE_BYTES);
    expect((await refusal(readTlsFile('cert', fifo))).message).toContain('cert file');
  });

  it('stops when the deadline aborts it', async () => {
    const abort = new AbortController();
    abort.abort();
    await refusal(readTlsFile('ca', join(dir, 'exact.pem'), abort.signal));
  });
});

describe('TLS files named by a connection string', () => {
  const uri = (option: string, path: string): string =>
    `tcps://127.0.0.1:${server.port}/amps/json?${option}=${path}`;

  it('connectTransport refuses /dev/zero and a FIFO at once, before contacting the server', async () => {
    const before = server.sockets.length;
    for (const [option, path] of [
      ['ca', '/dev/zero'],
      ['cert', fifo],
      ['key', dir],
    ] as const) {
      const error = await refusal(connectTransport(uri(option, path), new Recorder(), { connectTimeoutMs: 5000 }));
      expect(error.message).toMatch(REFUSED);
      expect(error.message).toContain(`${option} file`);
    }
    expect(server.sockets.length).toBe(before);
  });

  it('Client.connect reports the refusal as it is', async () => {
    const client = new Client('tls-file-test');
    const error = await refusal(client.connect(uri('ca', '/dev/zero')));
    expect(error.message).toMatch(REFUSED);
    await client.close();
  });

  it('bytes given through the API are used instead of any file', async () => {
    const transport = await connectTransport(uri('ca', join(dir, 'missing.pem')), new Recorder(), {
      tls: { ca: cert.cert },
    });
    transport.close();
  });
});

describe('Client options', () => {
  it('take TLS material as bytes, so a connection string need not name files', async () => {
    const client = new Client('tls-bytes-test', { tls: { ca: cert.cert }, connectTimeoutMs: 5000 });
    await client.connect(`tcps://127.0.0.1:${server.port}/amps/json`);
    expect(client.isConnected).toBe(true);
    await client.close();
  });
});
