import { describe, expect, it } from 'vitest';
import { DEFAULT_PANES, MAX_TABS, emptyWorkspace, parseWorkspace } from '../src/views/workspaceState.js';

describe('parseWorkspace', () => {
  it('nothing saved gives an empty workspace and no problem', () => {
    expect(parseWorkspace(undefined)).toEqual({ state: emptyWorkspace(), problems: [] });
    expect(parseWorkspace(null).problems).toEqual([]);
  });

  it('keeps the good tabs and names the bad ones', () => {
    const { state, problems } = parseWorkspace({
      version: 1,
      tabs: [
        { id: 'a', kind: 'subscription', settings: { topic: 'orders' } },
        { id: '', kind: 'sow' },
        'junk',
        { id: 'b', kind: 'sow', settings: [1, 2] },
        { id: 'a', kind: 'publish' },
        { id: 'c', kind: 'publish', connection: { connectionId: 'c1', name: 'n', profileId: 'p' } },
      ],
      activeTabId: 'gone',
      panes: { columns: [25, 75], rows: [50, 'x'] },
      theme: 'dark',
    });
    expect(state.tabs.map((t) => t.id)).toEqual(['a', 'c']);
    expect(state.tabs[1]?.connection).toEqual({ connectionId: 'c1', name: 'n', profileId: 'p' });
    expect(state.activeTabId).toBe('a');
    expect(state.panes).toEqual({ columns: [25, 75], rows: DEFAULT_PANES.rows });
    expect(state.theme).toBe('dark');
    expect(problems).toEqual([
      'tab 2 has no id',
      'tab 3 is not an object',
      'tab 4 (sow) has settings that are not a JSON object',
      'tab 5 repeats the id a',
    ]);
  });

  it('refuses another version and a non-object, starting empty', () => {
    expect(parseWorkspace({ version: 7, tabs: [] }).problems[0]).toContain('version 7');
    expect(parseWorkspace('x').state).toEqual(emptyWorkspace());
  });

  it('drops pane sizes that do not add up to 100 and an unknown theme', () => {
    const { state } = parseWorkspace({ version: 1, tabs: [], panes: { columns: [10, 10] }, theme: 'neon' });
    expect(state.panes.columns).toEqual(DEFAULT_PANES.columns);
    expect(state.theme).toBe('system');
  });

  it(`keeps at most ${MAX_TABS} tabs`, () => {
    const tabs = Array.from({ length: MAX_TABS + 2 }, (_, i) => ({ id: `t${i}`, kind: 'x' }));
    const { state, problems } = parseWorkspace({ version: 1, tabs });
    expect(state.tabs).toHaveLength(MAX_TABS);
    expect(problems).toHaveLength(2);
  });
});
