/**
 * The UI benchmark's pipeline baseline: the same sandbox and paced publisher with a plain Node
 * subscriber (our client, a message handler that only counts) in place of the app, measured in
 * the same run. It shows what the publishing side and the sandbox deliver on this machine right
 * now, so the UI's figures can be read against it.
 */
import { Client } from '../../client/src/client.js';
import type { PublishResult, RatePublisher } from './publisher.js';

/** What the plain subscriber saw. */
export interface PipelineFigures {
  publish: PublishResult;
  /** Messages per second the plain subscriber received, over the same wall time. */
  receivedPerSec: number;
}

/**
 * Publishes at `rate` for `ms` to `topic` (with a publisher from `openPublisher`) while one
 * counting Node subscriber on `uri` receives.
 */
export async function measurePipeline(
  uri: string,
  topic: string,
  rate: number,
  ms: number,
  openPublisher: (topic: string) => Promise<RatePublisher>,
): Promise<PipelineFigures> {
  const subscriber = new Client(`ui-bench-baseline-${process.pid}`);
  let publisher: RatePublisher | undefined;
  try {
    await subscriber.connect(uri);
    await subscriber.logon();
    let received = 0;
    const subId = await subscriber.subscribe(topic, undefined, {
      handler: () => {
        received++;
      },
    });
    publisher = await openPublisher(topic);
    const started = performance.now();
    const publish = await publisher.run(rate, ms);
    // What is still on its way counts too: wait until the count stops moving (at most 5 s).
    let lastAt = performance.now();
    for (let seen = received, waited = 0; waited < 5_000; waited += 100) {
      await new Promise((r) => setTimeout(r, 100));
      if (received === seen) break;
      seen = received;
      lastAt = performance.now();
    }
    const elapsed = lastAt - started;
    const count = received;
    await subscriber.unsubscribe(subId);
    return { publish, receivedPerSec: (count * 1000) / elapsed };
  } finally {
    await publisher?.close().catch(() => {});
    await subscriber.close().catch(() => {});
  }
}
