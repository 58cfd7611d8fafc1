/**
 * Demo data (`--demo`): an `orders` SOW keyed by /id with inserts, updates and deletes, a
 * `market_data` SOW keyed by /symbol ticking at a configurable rate, and a `jobs` queue.
 */
import type { Broker } from './broker.js';
import type { TopicConfig } from './config.js';

/** Topics the demo declares (added unless the configuration already declares them). */
export const DEMO_TOPICS: TopicConfig[] = [
  { name: 'orders', sow: true, keys: ['/id'], txlog: true },
  { name: 'market_data', sow: true, keys: ['/symbol'] },
  { name: 'jobs', queue: { leasePeriodMs: 30_000, maxBacklog: 10 }, txlog: true },
];

const SYMBOLS = [
  'AAPL',
  'MSFT',
  'GOOG',
  'AMZN',
  'NVDA',
  'META',
  'TSLA',
  'IBM',
  'ORCL',
  'INTC',
  'AMD',
  'NFLX',
];
const CUSTOMERS = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark', 'wayne'];
const STATUSES = ['new', 'partial', 'filled', 'cancelled'];

/** A running feeder; `stop` ends it. */
export interface DemoFeeder {
  stop(): void;
}

/** Starts publishing demo data into the broker. */
export function startDemo(broker: Broker, marketRatePerSecond = 100): DemoFeeder {
  let rnd = 42;
  const random = (): number => {
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff;
    return rnd / 0x7fffffff;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const prices = new Map(SYMBOLS.map((s, i) => [s, 50 + i * 37.5]));
  const publish = (topic: string, doc: unknown): void => {
    broker.publish({ topic, payload: Buffer.from(JSON.stringify(doc)), delta: false });
  };
  const open = new Map<number, { qty: number; filled: number }>();
  let nextOrder = 1;
  let nextJob = 1;
  const timers: NodeJS.Timeout[] = [];

  timers.push(
    setInterval(() => {
      const r = random();
      if (open.size < 20 || r < 0.45) {
        const id = nextOrder++;
        const qty = 100 * (1 + Math.floor(random() * 20));
        open.set(id, { qty, filled: 0 });
        const symbol = pick(SYMBOLS);
        publish('orders', {
          id,
          symbol,
          customer: pick(CUSTOMERS),
          side: random() < 0.5 ? 'buy' : 'sell',
          qty,
          filled: 0,
          price: Number((prices.get(symbol) ?? 100).toFixed(2)),
          status: 'new',
        });
      } else if (r < 0.85) {
        const ids = [...open.keys()];
        const id = pick(ids);
        const o = open.get(id);
        if (!o) return;
        o.filled = Math.min(o.qty, o.filled + 100 * (1 + Math.floor(random() * 5)));
        const status = o.filled >= o.qty ? 'filled' : random() < 0.05 ? 'cancelled' : 'partial';
        broker.publish({
          topic: 'orders',
          payload: Buffer.from(JSON.stringify({ id, filled: o.filled, status })),
          delta: true,
        });
        if (status === 'filled' || status === 'cancelled') open.delete(id);
      } else {
        const info = broker.topics.get('orders');
        const done = [...(info.sow?.records.values() ?? [])].filter((rec) => {
          const s = (rec.json as { status?: string } | undefined)?.status;
          return s === STATUSES[2] || s === STATUSES[3];
        });
        if (done.length > 0) broker.removeRecords(info, done.slice(0, 3), 'deleted');
      }
    }, 500),
  );

  if (marketRatePerSecond > 0) {
    const tickMs = 20;
    let budget = 0;
    timers.push(
      setInterval(() => {
        budget += (marketRatePerSecond * tickMs) / 1000;
        while (budget >= 1) {
          budget--;
          const symbol = pick(SYMBOLS);
          const last = prices.get(symbol) ?? 100;
          const price = Math.max(1, last * (1 + (random() - 0.5) / 500));
          prices.set(symbol, price);
          const spread = price * 0.0005;
          publish('market_data', {
            symbol,
            bid: Number((price - spread).toFixed(4)),
            ask: Number((price + spread).toFixed(4)),
            last: Number(price.toFixed(4)),
            volume: Math.floor(random() * 10_000),
            time: new Date().toISOString(),
          });
        }
      }, tickMs),
    );
  }

  timers.push(
    setInterval(() => {
      const q = broker.topics.get('jobs').queue;
      if (q && q.entries.size >= 100) return;
      publish('jobs', {
        job: nextJob++,
        kind: pick(['resize', 'email', 'report', 'backup']),
        priority: 1 + Math.floor(random() * 5),
        submitted: new Date().toISOString(),
      });
    }, 2000),
  );

  for (const t of timers) t.unref();
  return {
    stop(): void {
      for (const t of timers) clearInterval(t);
    },
  };
}
