import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSparkArgs } from '../../client/cli/args.js';
import { runSpark } from '../../client/cli/run.js';
import { FixedDelayStrategy } from '../../client/src/ha/delayStrategy.js';
import { HAClient, HAConnectionError } from '../../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../../client/src/ha/serverChooser.js';
import { freePort, startSandboxProcess, type SandboxProcess } from './sandboxProcess.js';

const dir = mkdtempSync(join(tmpdir(), 'amps-failover-down-'));
const servers: SandboxProcess[] = [];

afterAll(async () => {
  for (const s of servers) await s.kill();
  rmSync(dir, { recursive: true, force: true });
});

const deadUris = async (): Promise<string[]> => [
  `tcp://127.0.0.1:${await freePort()}/amps/json`,
  `tcp://127.0.0.1:${await freePort()}/amps/json`,
];

describe('every server down', () => {
  it('connectAndLogon fails with the chooser exhausted and each server named with its error', async () => {
    const uris = await deadUris();
    const chooser = new DefaultServerChooser(uris);
    const ha = new HAClient('all-down', {
      serverChooser: chooser,
      delayStrategy: new FixedDelayStrategy(50, 1000),
      timeoutMs: 2000,
    });
    try {
      const error = await ha.connectAndLogon().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(HAConnectionError);
      const failures = (error as HAConnectionError).failures;
      expect(new Set(failures.map((f) => f.uri))).toEqual(new Set(uris));
      for (const uri of uris) {
        expect((error as Error).message).toContain(uri);
        expect(chooser.getError()).toContain(uri);
      }
      expect((error as Error).message).toMatch(/ECONNREFUSED|refused/i);
    } finally {
      await ha.close();
    }
  });

  it('a live subscription ends with the exhaustion error when its servers die for good', async () => {
    const spare = await deadUris();
    const server = await startSandboxProcess({ port: 0, journalDir: join(dir, 'journal') });
    servers.push(server);
    const ha = new HAClient('all-down-live', {
      serverChooser: new DefaultServerChooser([server.uri, spare[0] as string]),
      delayStrategy: new FixedDelayStrategy(50, 1500),
      timeoutMs: 2000,
    });
    try {
      await ha.connectAndLogon();
      const stream = await ha.subscribe('ticks');
      await server.kill();
      const outcome = await (async () => {
        try {
          for await (const message of stream) void message;
          return undefined;
        } catch (e) {
          return e;
        }
      })();
      expect(outcome).toBeInstanceOf(HAConnectionError);
      expect((outcome as Error).message).toContain(server.uri);
      expect((outcome as Error).message).toContain(spare[0]);
      expect(ha.currentStatus?.state).toBe('closed');
    } finally {
      await ha.close();
    }
  });

  it('the CLI exits with an error listing each server when none answers', async () => {
    const uris = await deadUris();
    const errors: string[] = [];
    const args = parseSparkArgs([
      'subscribe',
      '-uri',
      uris[0] as string,
      '-uri',
      uris[1] as string,
      '-topic',
      't',
      '-timeout',
      '1000',
    ]);
    const failure = await runSpark(args, {
      out: () => undefined,
      err: (l) => errors.push(l),
      readLines: async function* () {},
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(HAConnectionError);
    for (const uri of uris) expect((failure as Error).message).toContain(uri);
  });
});
