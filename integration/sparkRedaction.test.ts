import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../client/cli/args.js';
import { runSpark } from '../client/cli/run.js';
import { capturedIo } from './sparkIo.js';
import { startSandbox, type SandboxFixture } from './sandboxFixture.js';

const PASSWORD = 'pa@SECRET:pw';
let sandbox: SandboxFixture;
let port: number;

beforeAll(async () => {
  sandbox = await startSandbox({ topics: [{ name: 'orders', sow: true, keys: ['/id'] }] });
  port = Number(/:(\d+)\//.exec(sandbox.tcpUri)?.[1]);
});
afterAll(() => sandbox.close());

const withPassword = `tcp://bob:${encodeURIComponent(PASSWORD)}@127.0.0.1:PORT/amps/json`;
/** The same password typed as is: `@` and `:` unencoded. */
const typedAsIs = `tcp://bob:${PASSWORD}@127.0.0.1:PORT/amps/json`;

describe('spark never prints the password of a connection string', () => {
  for (const [label, template] of [
    ['percent-encoded', withPassword],
    ['typed with "@" and ":"', typedAsIs],
  ] as const) {
    it(`on a successful connect, one server (${label})`, async () => {
      const io = capturedIo();
      const uri = template.replace('PORT', String(port));
      expect(await runSpark(parseSparkArgs(['ping', '-uri', uri]), io)).toBe(0);
      const printed = [...io.lines, ...io.diagnostics].join('\n');
      expect(printed).toContain(`connected to tcp://bob:***@127.0.0.1:${port}/amps/json`);
      expect(printed).not.toContain('SECRET');
    });

    it(`on a successful connect through the HA client (${label})`, async () => {
      const io = capturedIo();
      const uri = template.replace('PORT', String(port));
      expect(await runSpark(parseSparkArgs(['ping', '-uri', uri, '-uri', uri]), io)).toBe(0);
      const printed = [...io.lines, ...io.diagnostics].join('\n');
      expect(printed).toContain(`connected to tcp://bob:***@127.0.0.1:${port}/amps/json`);
      expect(printed).not.toContain('SECRET');
    });
  }

  it('with -server user:password@host:port too', async () => {
    const io = capturedIo();
    expect(await runSpark(parseSparkArgs(['ping', '-server', `bob:${PASSWORD}@127.0.0.1:${port}`]), io)).toBe(0);
    expect([...io.lines, ...io.diagnostics].join('\n')).not.toContain('SECRET');
  });
});

describe('spark usage errors do not echo a password either', () => {
  it('a malformed -server with credentials is reported without the password', () => {
    let message = '';
    try {
      parseSparkArgs(['ping', '-server', `bob:${PASSWORD}@127.0.0.1`]);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^-server must be \[user:password@\]host:port, got "bob:\*\*\*@127\.0\.0\.1"$/);
  });
});
