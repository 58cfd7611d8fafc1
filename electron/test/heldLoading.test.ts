import { describe, expect, it } from 'vitest';
import type { SowPageWindow } from '../../common/src/dto/sow.js';
import { ExplorerError } from '../../common/src/ipc/errors.js';
import type { AmpsConnectionLike } from '../main/services/ampsAdapter.js';
import { HeldPaging } from '../main/services/sow/heldPaging.js';
import { waitFor } from './sowHarness.js';

interface FakeMessage {
  command: string;
  ackType?: string;
  fields: { sowKey?: string };
  text: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * A query whose records arrive in batches of 100, `gapMs` apart, then its completed ack (or,
 * `cut`, none: the stream just ends, as when the connection goes away).
 */
function pacedConnection(records: number, gapMs: number, cut = false): AmpsConnectionLike {
  const execute = () =>
    Promise.resolve({
      stream: {
        async drain(handler: (m: FakeMessage) => void): Promise<void> {
          for (let i = 0; i < records; i++) {
            if (i % 100 === 0) await sleep(gapMs);
            handler({ command: 'sow', fields: { sowKey: String(i) }, text: JSON.stringify({ id: i }) });
          }
          if (!cut) handler({ command: 'ack', ackType: 'completed', fields: {}, text: '' });
        },
      },
      stop: () => Promise.resolve(),
    });
  return { execute } as unknown as AmpsConnectionLike;
}

function heldOver(connection: AmpsConnectionLike, maxRecords: number, pages: SowPageWindow[]): HeldPaging {
  return new HeldPaging({
    client: () => connection as AmpsConnectionLike & Required<Pick<AmpsConnectionLike, 'execute'>>,
    deliverPage: (_owner, w) => pages.push(w),
    unknownPage: (id) =>
      new ExplorerError({
        name: 'UnknownSowQueryError',
        message: `${id} does not exist`,
        code: 'unknown-query',
      }),
    maxRecords,
    openWaitMs: 30,
  });
}

const request = {
  spec: { connectionId: 'c', topic: 'orders', mode: 'query' as const, orderBy: '/id DESC' },
  skipN: 0,
  topN: 5,
};

describe('HeldPaging while a big result loads', () => {
  it('answers with the records so far, then sends the growing total until the query part is in', async () => {
    const pages: SowPageWindow[] = [];
    const held = heldOver(pacedConnection(600, 20), 10_000, pages);
    const first = await held.open(request, 'w1');
    expect(first.loading).toBe(true);
    expect(first.total).toBeLessThan(600);
    const timer = setInterval(() => held.tick(), 10);
    try {
      await waitFor(() => pages.some((p) => p.loading === false));
    } finally {
      clearInterval(timer);
    }
    const totals = pages.map((p) => p.total);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(pages.some((p) => p.loading === true && p.total > first.total)).toBe(true);
    const last = pages.at(-1) as SowPageWindow;
    expect(last).toMatchObject({ loading: false, live: false, total: 600 });
    expect(last.rows.map((r) => r.key)).toEqual(['599', '598', '597', '596', '595']);
    await held.shutdown();
  });

  it('past the limit after it answered, the view stops with the error and keeps what it holds', async () => {
    const pages: SowPageWindow[] = [];
    const held = heldOver(pacedConnection(600, 20), 250, pages);
    const first = await held.open(request, 'w1');
    expect(first.loading).toBe(true);
    const timer = setInterval(() => held.tick(), 10);
    try {
      await waitFor(() => pages.some((p) => p.error !== undefined));
    } finally {
      clearInterval(timer);
    }
    expect(pages.at(-1)).toMatchObject({ loading: false, total: 250 });
    expect(pages.at(-1)?.error).toMatch(/holds at most 250 records/);
    await held.close(first.queryId, 'w1');
    expect(held.size).toBe(0);
  });

  it('a result cut short (its stream ends before the completed ack) says so instead of looking complete', async () => {
    const pages: SowPageWindow[] = [];
    const held = heldOver(pacedConnection(400, 20, true), 10_000, pages);
    const first = await held.open(request, 'w1');
    const timer = setInterval(() => held.tick(), 10);
    try {
      await waitFor(() => pages.some((p) => p.error !== undefined));
    } finally {
      clearInterval(timer);
    }
    expect(first.loading).toBe(true);
    expect(pages.at(-1)).toMatchObject({ loading: false, live: false, total: 400 });
    expect(pages.at(-1)?.error).toMatch(/ended before all its records arrived/);
    await held.shutdown();
  });
});
