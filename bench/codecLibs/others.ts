/**
 * The non-codec rows of the codecs benchmark: store lock acquire/release (ours against
 * proper-lockfile), schema validation (our schemaLib against valibot, alone and behind a
 * facade keeping schemaLib's API, bench/codecLibs/valibotSchemaLib.ts) and the virtual list
 * window (ours against @tanstack/virtual-core, the engine of @tanstack/svelte-virtual).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Virtualizer } from '@tanstack/virtual-core';
import lockfile from 'proper-lockfile';
import * as v from 'valibot';
import { StoreLock } from '../../client/src/stores/storeLock.js';
import * as ours from '../../common/src/ipc/schemaLib.js';
import * as facade from './valibotSchemaLib.js';
import { ratesPerSec } from './measure.js';

/** Store lock acquire + release per second, ours and proper-lockfile's, on the same file. */
export function lockRates(): { oursAcquireReleasePerSec: number; libAcquireReleasePerSec: number } {
  const dir = mkdtempSync(join(tmpdir(), 'codecs-bench-lock-'));
  try {
    const file = join(dir, 'bookmarks.bm');
    writeFileSync(file, '');
    const r = ratesPerSec({
      oursAcquireRelease: () => StoreLock.acquire(file).release(),
      libAcquireRelease: () => lockfile.lockSync(file, { realpath: false, stale: 10_000 })(),
    });
    return {
      oursAcquireReleasePerSec: r.oursAcquireReleasePerSec ?? 0,
      libAcquireReleasePerSec: r.libAcquireReleasePerSec ?? 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const MODES = ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'bookmark'] as const;
const ID = /^[A-Za-z0-9._:-]+$/;

/** The subscribe request schema of common/src/ipc/schemas.ts, built with a schemaLib API. */
function subscribeSchema(lib: typeof ours): ours.Schema<unknown> {
  const { enumOf, number, object, optional, string } = lib;
  return object({
    connectionId: string({ maxLength: 128, minLength: 1, pattern: ID, patternName: 'an identifier' }),
    topic: string({ maxLength: 1024, minLength: 1 }),
    filter: optional(string({ maxLength: 65_536 })),
    mode: enumOf(MODES),
    options: optional(
      object({
        bookmark: optional(string({ maxLength: 1024, minLength: 1 })),
        batchSize: optional(number({ integer: true, min: 1, max: 100_000 })),
        topN: optional(number({ integer: true, min: 1, max: 10_000_000 })),
        orderBy: optional(string({ maxLength: 1024, minLength: 1 })),
        options: optional(string({ maxLength: 1024 })),
      }),
    ),
  });
}
const oursSubscribe = subscribeSchema(ours);
const facadeSubscribe = subscribeSchema(facade);

const vText = (min: number, max: number) => v.pipe(v.string(), v.minLength(min), v.maxLength(max));
const vInt = (min: number, max: number) =>
  v.pipe(v.number(), v.finite(), v.integer(), v.minValue(min), v.maxValue(max));

/** The same schema with valibot. */
const valibotSubscribe = v.strictObject({
  connectionId: v.pipe(v.string(), v.minLength(1), v.maxLength(128), v.regex(ID)),
  topic: vText(1, 1024),
  filter: v.optional(vText(0, 65_536)),
  mode: v.picklist(MODES),
  options: v.optional(
    v.strictObject({
      bookmark: v.optional(vText(1, 1024)),
      batchSize: v.optional(vInt(1, 100_000)),
      topN: v.optional(vInt(1, 10_000_000)),
      orderBy: v.optional(vText(1, 1024)),
      options: v.optional(vText(0, 1024)),
    }),
  ),
});

const GOOD = {
  connectionId: 'conn-1',
  topic: 'orders',
  filter: "/symbol = 'MSFT' AND /qty > 100",
  mode: 'sow_and_subscribe',
  options: { batchSize: 100, topN: 1000, orderBy: '/qty DESC' },
};
const BAD = { ...GOOD, options: { ...GOOD.options, topN: 0 } };

/** Validations per second of a valid and of an invalid subscribe request. */
export function schemaRates(): Record<string, number> {
  const rejecting = (schema: ours.Schema<unknown>) => (): unknown => {
    try {
      return schema.parse(BAD, 'payload');
    } catch (error) {
      return error;
    }
  };
  return ratesPerSec({
    oursValidate: () => oursSubscribe.parse(GOOD, 'payload'),
    libValidate: () => v.parse(valibotSubscribe, GOOD),
    oursReject: rejecting(oursSubscribe),
    libReject: () => v.safeParse(valibotSubscribe, BAD),
    facadeValidate: () => facadeSubscribe.parse(GOOD, 'payload'),
    facadeReject: rejecting(facadeSubscribe),
  });
}

/** Visible-window computations per second for a 50 000-row list scrolled row by row. */
export async function virtualWindowRates(): Promise<{ oursWindowPerSec: number; libWindowPerSec: number }> {
  // The renderer is not part of the bench's TypeScript project (it is checked by svelte-check).
  const { visibleWindow } = (await import(
    new URL('../../renderer/src/lib/virtualWindow.ts', import.meta.url).href
  )) as {
    visibleWindow: (top: number, height: number, row: number, count: number, overscan: number) => unknown;
  };
  const count = 50_000;
  const rowHeight = 22;
  let top = 0;
  let onOffset: ((offset: number, isScrolling: boolean) => void) | undefined;
  const element = {} as never;
  const lib = new Virtualizer({
    count,
    overscan: 8,
    getScrollElement: () => element,
    estimateSize: () => rowHeight,
    initialRect: { width: 800, height: 600 },
    observeElementRect: (_instance, cb) => {
      cb({ width: 800, height: 600 });
      return undefined;
    },
    observeElementOffset: (_instance, cb) => {
      onOffset = cb;
      return undefined;
    },
    scrollToFn: () => undefined,
  });
  lib._didMount();
  lib._willUpdate();
  let libTop = 0;
  const r = ratesPerSec({
    oursWindow: () => {
      top = (top + rowHeight) % (count * rowHeight);
      return visibleWindow(top, 600, rowHeight, count, 8);
    },
    libWindow: () => {
      libTop = (libTop + rowHeight) % (count * rowHeight);
      onOffset?.(libTop, false);
      return lib.getVirtualItems();
    },
  });
  return { oursWindowPerSec: r.oursWindowPerSec ?? 0, libWindowPerSec: r.libWindowPerSec ?? 0 };
}
