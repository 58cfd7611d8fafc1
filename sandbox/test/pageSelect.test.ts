import { describe, expect, it } from 'vitest';
import { pageOf, totalOrder } from '../src/pageSelect.js';

interface R {
  key: string;
  v: number;
}

const byV = totalOrder<R>((a, b) => a.v - b.v);

function shuffled(n: number, values: (i: number) => number, seed = 7): R[] {
  const out = Array.from({ length: n }, (_, i) => ({ key: `k${String(i).padStart(6, '0')}`, v: values(i) }));
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as R, out[i] as R];
  }
  return out;
}

describe('pageOf', () => {
  it('returns exactly the records a full sort would put on the page, in order', () => {
    const items = shuffled(5000, (i) => i % 37);
    const sorted = [...items].sort(byV);
    for (const [skip, top] of [
      [0, 10],
      [2500, 200],
      [4990, 50],
      [1, 1],
      [100, 3000],
    ] as const) {
      expect(pageOf([...items], skip, top, byV).map((r) => r.key)).toEqual(
        sorted.slice(skip, skip + top).map((r) => r.key),
      );
    }
  });

  it('consecutive pages over equal values neither repeat nor skip a record', () => {
    const items = shuffled(1000, () => 5);
    const seen: string[] = [];
    for (let skip = 0; skip < 1000; skip += 100) seen.push(...pageOf([...items], skip, 100, byV).map((r) => r.key));
    expect(new Set(seen).size).toBe(1000);
  });

  it('empty past the end, everything without top', () => {
    const items = shuffled(10, (i) => i);
    expect(pageOf([...items], 10, 5, byV)).toEqual([]);
    expect(pageOf([...items], 8, undefined, byV).map((r) => r.v)).toEqual([8, 9]);
  });
});

describe('a live paginated window over a big SOW', () => {
  it('publishes outside the window change nothing; those that shift it move it', async () => {
    const { createSandboxServer, silentLogger } = await import('../src/index.js');
    const { Client } = await import('../../client/src/client.js');
    const sandbox = await createSandboxServer({ port: 0, adminPort: null, logger: silentLogger, topics: [{ name: 't', keys: ['/id'] }] });
    const uri = `tcp://127.0.0.1:${sandbox.ports.tcp}/amps/json`;
    const pub = new Client('page-pub');
    const sub = new Client('page-sub');
    try {
      await pub.connect(uri);
      await pub.logon();
      await sub.connect(uri);
      await sub.logon();
      for (let i = 0; i < 2000; i++) pub.publish('t', JSON.stringify({ id: i, v: i }));
      await pub.publishFlush();
      const got: { command: string; id: number }[] = [];
      const stream = await sub.sowAndSubscribe('t', undefined, { orderBy: '/v', topN: 3, options: 'oof,skip_n=1000' });
      void stream.drain((m) => {
        const command = m.command === 'publish' ? 'p' : (m.command ?? '');
        if (command === 'sow' || command === 'p' || command === 'oof')
          got.push({ command, id: (JSON.parse(m.text) as { id: number }).id });
      });
      const waitFor = async (check: () => boolean): Promise<void> => {
        const until = Date.now() + 3000;
        while (!check()) {
          if (Date.now() > until) throw new Error(`not met: ${JSON.stringify(got)}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      await waitFor(() => got.length === 3);
      expect(got.map((g) => g.id)).toEqual([1000, 1001, 1002]);
      // After the window, and before it staying before: nothing is sent.
      pub.publish('t', JSON.stringify({ id: 1500, v: 1700 }));
      pub.publish('t', JSON.stringify({ id: 10, v: 5 }));
      // Inside the window: the record is sent again.
      pub.publish('t', JSON.stringify({ id: 1001, v: 1001, note: 'x' }));
      await pub.publishFlush();
      await waitFor(() => got.length === 4);
      expect(got[3]).toEqual({ command: 'p', id: 1001 });
      // Crossing from before to after shifts the window by one: 1000 leaves, 1003 enters.
      pub.publish('t', JSON.stringify({ id: 20, v: 5000 }));
      await pub.publishFlush();
      await waitFor(() => got.length === 6);
      expect(got.slice(4)).toEqual([
        { command: 'oof', id: 1000 },
        { command: 'p', id: 1003 },
      ]);
    } finally {
      await pub.close();
      await sub.close();
      await sandbox.close();
    }
  });
});
