/**
 * A warm standby sandbox for the soak benchmark, run as a child process: it loads the sandbox
 * code, prints `ready`, and waits for `go` on stdin; only then does it open the shared journal
 * folder (recovering the SOW and the transaction log the previous server wrote) and listen.
 *
 * The sandbox has no replication: two processes must not have one journal open at once. So the
 * "HA list of three servers on a shared journal" is three ports, each with a process standing
 * by; the one serving holds the journal, and after its SIGKILL the next in the list takes the
 * journal over. Loading Node and the sandbox's modules (about a second) happens before the kill,
 * as it would for a real standby that is already running; the journal recovery happens after.
 *
 * usage: node --import tsx bench/soakServer.ts PORT JOURNAL_DIR
 */
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { createSandboxServer, silentLogger } from '../sandbox/src/index.js';

async function main(argv: string[]): Promise<void> {
  const [port, journalDir] = argv;
  if (port === undefined || journalDir === undefined)
    throw new Error('usage: soakServer.ts PORT JOURNAL_DIR');
  process.stdout.write('ready\n');
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    if (line.trim() !== 'go') continue;
    const started = performance.now();
    const server = await createSandboxServer({
      port: Number(port),
      wsPort: null,
      adminPort: null,
      journalDir,
      txlogPatterns: ['.*'],
      topics: [{ name: 'orders', keys: ['/id'], txlog: true }],
      logger: silentLogger,
    });
    // The time to recover the journal and listen, for the bench to report.
    process.stdout.write(`listening ${server.ports.tcp ?? ''} ${(performance.now() - started).toFixed(1)}\n`);
    return;
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  process.stderr.write(`soak server: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
