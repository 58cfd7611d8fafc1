/**
 * A publisher process for the failover tests: publishes `{"id":k}` to `orders` for k = next..N
 * through an HA client with a FilePublishStore, and records its progress so a restart after
 * SIGKILL carries on with the next id. Prints `done N` once everything is persisted.
 *
 * usage: node --import tsx integration/failover/publisherProcess.ts STORE PROGRESS N GAP_MS URI...
 *
 * Exactly-once across a kill: `publish` writes the message into the store file before it
 * returns, and the progress line is written right after in the same synchronous step. A kill
 * between the two leaves the message in the store (its ack cannot have been processed yet),
 * so on restart an id found among the store's held messages counts as published.
 */
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { FixedDelayStrategy } from '../../client/src/ha/delayStrategy.js';
import { HAClient } from '../../client/src/ha/haClient.js';
import { DefaultServerChooser } from '../../client/src/ha/serverChooser.js';
import { FilePublishStore } from '../../client/src/stores/publish/filePublishStore.js';

async function main(argv: string[]): Promise<number> {
  const [storePath, progressPath, total, gap, ...uris] = argv;
  if (storePath === undefined || progressPath === undefined || uris.length === 0)
    throw new Error('usage: publisherProcess.ts STORE PROGRESS N GAP_MS URI...');
  const last = Number(total);
  const gapMs = Number(gap);
  const store = new FilePublishStore(storePath);
  let next = 1;
  if (existsSync(progressPath)) {
    const lines = readFileSync(progressPath, 'utf8').trim().split('\n');
    next = Number(lines[lines.length - 1] ?? '0') + 1;
  }
  const held = new Set<number>();
  store.replay((message) => {
    const id = (JSON.parse(Buffer.from(message.payload).toString('utf8')) as { id: number }).id;
    held.add(id);
  });
  while (held.has(next)) {
    appendFileSync(progressPath, `${next}\n`);
    next++;
  }
  const ha = new HAClient('failover-publisher', {
    serverChooser: new DefaultServerChooser(uris),
    delayStrategy: new FixedDelayStrategy(50, 30_000),
    timeoutMs: 5000,
    publishStore: store,
  });
  await ha.connectAndLogon();
  for (let id = next; id <= last; id++) {
    ha.publish('orders', JSON.stringify({ id, qty: id % 97 }));
    appendFileSync(progressPath, `${id}\n`);
    if (gapMs > 0) await new Promise((r) => setTimeout(r, gapMs));
  }
  // Every message persisted (a flush could fail when the server dies meanwhile, so poll the store).
  const end = Date.now() + 30_000;
  while (ha.getUnpersistedCount() > 0) {
    if (Date.now() > end)
      throw new Error(`${ha.getUnpersistedCount()} messages still unpersisted after 30 s`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await ha.close();
  store.close();
  process.stdout.write(`done ${last}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`publisher: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
