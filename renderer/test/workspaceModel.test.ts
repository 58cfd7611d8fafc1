import { describe, expect, it } from 'vitest';
import { SAVE_DEBOUNCE_MS, WorkspaceModel } from '../src/views/workspaceModel.js';
import type { Timers, WorkspaceStore } from '../src/views/workspaceModel.js';
import type { WorkspaceState } from '../src/views/workspaceState.js';
import { MAX_TABS } from '../src/views/workspaceState.js';

/** Timers run by hand: `advance(ms)` fires what is due. */
class ManualTimers implements Timers {
  now = 0;
  readonly #due = new Map<number, { at: number; callback: () => void }>();
  #next = 1;
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#next++;
    this.#due.set(id, { at: this.now + ms, callback });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.#due.delete(handle as number);
  }
  advance(ms: number): void {
    this.now += ms;
    for (const [id, t] of [...this.#due]) {
      if (t.at <= this.now) {
        this.#due.delete(id);
        t.callback();
      }
    }
  }
}

class MemoryStore implements WorkspaceStore {
  readonly where = 'session' as const;
  saved: WorkspaceState[] = [];
  constructor(
    public stored: unknown = undefined,
    public problem?: string,
  ) {}
  load(): Promise<{ state: unknown; problem?: string }> {
    return Promise.resolve(
      this.problem === undefined ? { state: this.stored } : { state: this.stored, problem: this.problem },
    );
  }
  save(state: WorkspaceState): Promise<void> {
    this.saved.push(structuredClone(state));
    this.stored = structuredClone(state);
    return Promise.resolve();
  }
}

const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

async function loaded(
  stored?: unknown,
): Promise<{ model: WorkspaceModel; store: MemoryStore; timers: ManualTimers }> {
  const store = new MemoryStore(stored);
  const timers = new ManualTimers();
  let n = 0;
  const model = new WorkspaceModel(store, timers, () => `t${++n}`);
  await model.load();
  return { model, store, timers };
}

describe('WorkspaceModel tabs', () => {
  it('opens tabs after the active one and activates the new one', async () => {
    const { model } = await loaded();
    const a = model.open({ kind: 'subscription' });
    const b = model.open({ kind: 'sow' });
    model.activate(a!);
    const c = model.open({ kind: 'publish' });
    expect(model.tabs.map((t) => t.id)).toEqual([a, c, b]);
    expect(model.state.activeTabId).toBe(c);
  });

  it('closing the active tab activates its right neighbour, else its left one', async () => {
    const { model } = await loaded();
    const [a, b, c] = [model.open({ kind: 'x' }), model.open({ kind: 'x' }), model.open({ kind: 'x' })];
    model.activate(b!);
    model.close(b!);
    expect(model.state.activeTabId).toBe(c);
    model.close(c!);
    expect(model.state.activeTabId).toBe(a);
    model.close(a!);
    expect(model.state.activeTabId).toBeUndefined();
    expect(model.tabs).toEqual([]);
  });

  it('closing another tab keeps the active one', async () => {
    const { model } = await loaded();
    const a = model.open({ kind: 'x' });
    const b = model.open({ kind: 'x' });
    model.close(a!);
    expect(model.state.activeTabId).toBe(b);
  });

  it('cycles next and previous with wrap-around', async () => {
    const { model } = await loaded();
    const [a, b, c] = [model.open({ kind: 'x' }), model.open({ kind: 'x' }), model.open({ kind: 'x' })];
    expect(model.state.activeTabId).toBe(c);
    model.cycle(1);
    expect(model.state.activeTabId).toBe(a);
    model.cycle(-1);
    expect(model.state.activeTabId).toBe(c);
    model.cycle(-1);
    expect(model.state.activeTabId).toBe(b);
  });

  it('moves tabs by index (clamped) and by one step', async () => {
    const { model } = await loaded();
    const [a, b, c] = [model.open({ kind: 'x' }), model.open({ kind: 'x' }), model.open({ kind: 'x' })];
    model.move(c!, 0);
    expect(model.tabs.map((t) => t.id)).toEqual([c, a, b]);
    model.moveBy(c!, 1);
    expect(model.tabs.map((t) => t.id)).toEqual([a, c, b]);
    model.moveBy(b!, 5);
    expect(model.tabs.map((t) => t.id)).toEqual([a, c, b]);
    model.move(a!, -3);
    expect(model.tabs.map((t) => t.id)).toEqual([a, c, b]);
  });

  it('merges settings, sets titles and binds connections', async () => {
    const { model } = await loaded();
    const a = model.open({ kind: 'subscription', settings: { topic: 'orders' } })!;
    model.updateSettings(a, { filter: '/qty > 5' });
    model.setTitle(a, 'orders');
    model.setConnection(a, { connectionId: 'c1', name: 'Local sandbox', profileId: 'sandbox' });
    expect(model.tab(a)).toEqual({
      id: a,
      kind: 'subscription',
      title: 'orders',
      settings: { topic: 'orders', filter: '/qty > 5' },
      connection: { connectionId: 'c1', name: 'Local sandbox', profileId: 'sandbox' },
    });
    model.setTitle(a, '');
    expect(model.tab(a)?.title).toBeUndefined();
  });

  it('rebinds every tab of a reopened connection', async () => {
    const { model } = await loaded();
    const a = model.open({ kind: 'x', connection: { connectionId: 'old', name: 'p', profileId: 'p1' } })!;
    const b = model.open({ kind: 'x', connection: { connectionId: 'other', name: 'q' } })!;
    const moved = model.rebind('old', { connectionId: 'new', name: 'p', profileId: 'p1' });
    expect(moved).toBe(1);
    expect(model.tab(a)?.connection?.connectionId).toBe('new');
    expect(model.tab(b)?.connection?.connectionId).toBe('other');
  });

  it('moves the tabs of a gone profile connection to a live connection of that profile, and only those', async () => {
    const { model } = await loaded();
    const gone = model.open({
      kind: 'x',
      connection: { connectionId: 'before-restart', name: 'p', profileId: 'p1' },
    })!;
    const live = model.open({ kind: 'x', connection: { connectionId: 'c2', name: 'p', profileId: 'p1' } })!;
    const typed = model.open({
      kind: 'x',
      connection: { connectionId: 'gone-typed', name: 'tcp://h:9007/amps/json' },
    })!;
    const other = model.open({
      kind: 'x',
      connection: { connectionId: 'gone-q', name: 'q', profileId: 'q1' },
    })!;
    const moved = model.adoptProfileConnections([{ connectionId: 'c2', name: 'p', profileId: 'p1' }]);
    expect(moved).toBe(1);
    expect(model.tab(gone)?.connection?.connectionId).toBe('c2');
    expect(model.tab(live)?.connection?.connectionId).toBe('c2');
    expect(model.tab(typed)?.connection?.connectionId).toBe('gone-typed');
    expect(model.tab(other)?.connection?.connectionId).toBe('gone-q');
    expect(model.adoptProfileConnections([{ connectionId: 'c2', name: 'p', profileId: 'p1' }])).toBe(0);
  });

  it(`refuses more than ${MAX_TABS} tabs and says why`, async () => {
    const { model } = await loaded();
    for (let i = 0; i < MAX_TABS; i++) expect(model.open({ kind: 'x' })).toBeDefined();
    expect(model.open({ kind: 'x' })).toBeUndefined();
    expect(model.state.problems.join()).toContain(`At most ${MAX_TABS} tabs`);
  });
});

describe('WorkspaceModel persistence', () => {
  it('saves once, debounced, after a burst of changes', async () => {
    const { model, store, timers } = await loaded();
    const a = model.open({ kind: 'subscription' })!;
    model.updateSettings(a, { topic: 'o' });
    model.updateSettings(a, { topic: 'orders' });
    timers.advance(SAVE_DEBOUNCE_MS - 1);
    expect(store.saved).toHaveLength(0);
    timers.advance(1);
    await settle();
    expect(store.saved).toHaveLength(1);
    expect(store.saved[0]?.tabs[0]?.settings).toEqual({ topic: 'orders' });
  });

  it('restores tabs, order, active tab, panes and theme from what it saved', async () => {
    const first = await loaded();
    const a = first.model.open({ kind: 'subscription', settings: { topic: 'orders' } })!;
    const b = first.model.open({ kind: 'sow', connection: { connectionId: 'c9', name: 'prod' } })!;
    first.model.move(b, 0);
    first.model.activate(a);
    first.model.setPanes('columns', [30, 70]);
    first.model.setTheme('dark');
    await first.model.flush();

    const second = await loaded(first.store.stored);
    expect(second.model.tabs.map((t) => t.id)).toEqual([b, a]);
    expect(second.model.state.activeTabId).toBe(a);
    expect(second.model.tab(a)?.settings).toEqual({ topic: 'orders' });
    expect(second.model.tab(b)?.connection).toEqual({ connectionId: 'c9', name: 'prod' });
    expect(second.model.state.panes.columns).toEqual([30, 70]);
    expect(second.model.state.theme).toBe('dark');
    expect(second.model.state.problems).toEqual([]);
  });

  it('does not save before the saved state was read (that would overwrite it)', async () => {
    const store = new MemoryStore({
      version: 1,
      tabs: [{ id: 'keep', kind: 'sow', settings: {} }],
      panes: {},
      theme: 'light',
    });
    const timers = new ManualTimers();
    const model = new WorkspaceModel(store, timers, () => 'early');
    model.open({ kind: 'subscription' });
    timers.advance(SAVE_DEBOUNCE_MS * 2);
    await settle();
    expect(store.saved).toHaveLength(0);
    await model.load();
    // The restored tab and the one opened meanwhile are both there; the early one is active.
    expect(model.tabs.map((t) => t.id)).toEqual(['keep', 'early']);
    expect(model.state.activeTabId).toBe('early');
  });

  it('shows a save failure to the user', async () => {
    const { model, store, timers } = await loaded();
    store.save = () => Promise.reject(new Error('disk full'));
    model.open({ kind: 'x' });
    timers.advance(SAVE_DEBOUNCE_MS);
    await settle();
    expect(model.state.problems).toEqual(['Could not save the workspace: disk full']);
  });

  it('reports the store problem and a load failure', async () => {
    const store = new MemoryStore(undefined, 'workspace.json was not JSON; kept as workspace.json.bad');
    const model = new WorkspaceModel(store, new ManualTimers());
    await model.load();
    expect(model.state.problems).toEqual([
      'Saved workspace: workspace.json was not JSON; kept as workspace.json.bad',
    ]);
    const failing = new MemoryStore();
    failing.load = () => Promise.reject(new Error('EACCES'));
    const other = new WorkspaceModel(failing, new ManualTimers());
    await other.load();
    expect(other.state.loaded).toBe(true);
    expect(other.state.problems).toEqual(['Could not read the saved workspace: EACCES']);
  });
});

describe('WorkspaceModel close others', () => {
  it('keeps only the chosen tab, active', async () => {
    const { model } = await loaded();
    const [a, b] = [model.open({ kind: 'x' }), model.open({ kind: 'x' }), model.open({ kind: 'x' })];
    model.activate(a!);
    model.closeOthers(b!);
    expect(model.tabs.map((t) => t.id)).toEqual([b]);
    expect(model.state.activeTabId).toBe(b);
  });
});
