/** CLI flags (`npm run sandbox -- ...`) and config files. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliError, parseCli } from '../src/cli.js';
import { ConfigError, parseConfigJson } from '../src/config.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('parseCli', () => {
  it('has the documented defaults', () => {
    const o = parseCli([]);
    expect(o.config).toMatchObject({ host: '127.0.0.1', port: 9007, wsPort: 9008, adminPort: 8085 });
    expect(o.demo).toBe(false);
    expect(o.demoRate).toBe(100);
  });

  it('reads every flag', () => {
    const users = join(dir, 'users.json');
    writeFileSync(users, '{"alice":"secret"}');
    const config = join(dir, 'c.json');
    writeFileSync(
      config,
      JSON.stringify({ topics: [{ name: 'cfg', keys: ['/a'], txlog: true }], txlog: ['^x'] }),
    );
    const o = parseCli([
      '--host',
      '::1',
      '--port',
      '0',
      '--ws-port',
      'off',
      '--admin-port',
      '0',
      '--config',
      config,
      '--journal',
      dir,
      '--sow',
      'orders=/region,/id',
      '--txlog',
      '^orders$',
      '--queue',
      'jobs',
      '--users',
      users,
      '--demo',
      '--demo-rate',
      '5',
    ]);
    expect(o.config.host).toBe('::1');
    expect(o.config.wsPort).toBeNull();
    expect(o.config.journalDir).toBe(dir);
    expect(o.config.users).toEqual({ alice: 'secret' });
    expect(o.config.topics).toEqual([
      { name: 'cfg', keys: ['/a'], sow: true, txlog: true },
      { name: 'orders', sow: true, keys: ['/region', '/id'] },
      { name: 'jobs', queue: true },
    ]);
    expect(o.config.txlogPatterns).toEqual(['^x', '^orders$']);
    expect(o.demo).toBe(true);
    expect(o.demoRate).toBe(5);
  });

  it.each([
    [['--port', 'abc'], '--port needs a port number'],
    [['--port'], '--port needs a value'],
    [['--sow', 'orders'], '--sow needs TOPIC=/key'],
    [['--txlog', '('], 'is not a valid regular expression'],
    [['--frobnicate'], 'unknown flag "--frobnicate"'],
    [['--config', '/nonexistent/x.json'], 'cannot read'],
    [['--demo-rate', 'fast'], '--demo-rate needs a number'],
    [['--tls-port', '1'], 'TLS needs all of'],
    [['--wss-port', '1', '--cert', 'c.pem'], 'TLS needs all of'],
    [['--cert', 'c.pem', '--key', 'k.pem'], 'TLS needs all of --tls-port (or --wss-port)'],
  ])('rejects %j with a clear message', (argv, message) => {
    expect(() => parseCli(argv)).toThrow(CliError);
    expect(() => parseCli(argv)).toThrow(message);
  });
});

describe('wss flags', () => {
  it('--wss-port with --cert and --key configures the WebSocket TLS listener', () => {
    const o = parseCli(['--wss-port', '9443', '--cert', 'c.pem', '--key', 'k.pem']);
    expect(o.config.wss).toEqual({ port: 9443, certFile: 'c.pem', keyFile: 'k.pem' });
    expect(o.config.tls).toBeUndefined();
    const both = parseCli(['--tls-port', '0', '--wss-port', '0', '--cert', 'c.pem', '--key', 'k.pem']);
    expect(both.config.tls).toEqual({ port: 0, certFile: 'c.pem', keyFile: 'k.pem' });
    expect(both.config.wss).toEqual({ port: 0, certFile: 'c.pem', keyFile: 'k.pem' });
  });
});

describe('config files', () => {
  it('names the bad entry', () => {
    expect(() => parseConfigJson('{"topics":[{"name":"a","keys":["id"]}]}', 'f.json')).toThrow(
      new ConfigError('f.json: topics[0].keys must be an array of field paths like "/id"'),
    );
    expect(() => parseConfigJson('{', 'f.json')).toThrow(/f\.json: not valid JSON/);
    expect(() => parseConfigJson('{"port":70000}', 'f.json')).toThrow('"port" must be a port number');
    expect(() => parseConfigJson('{"topics":[{"name":"q","queue":{"maxDeliveries":0}}]}', 'f.json')).toThrow(
      'f.json: topics[0].queue.maxDeliveries must be a positive integer',
    );
    expect(
      parseConfigJson(
        '{"topics":[{"name":"q","queue":{"maxDeliveries":3,"maxCancels":2,"deadLetterTopic":"dlq"}}]}',
        'f.json',
      ).topics,
    ).toEqual([{ name: 'q', queue: { maxDeliveries: 3, maxCancels: 2, deadLetterTopic: 'dlq' } }]);
  });
});
