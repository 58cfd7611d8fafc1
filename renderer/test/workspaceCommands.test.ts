import { describe, expect, it } from 'vitest';
import { CommandRegistry, formatShortcut } from '../src/lib/commandRegistry.js';
import type { KeyLike } from '../src/lib/commandRegistry.js';
import { VIEW_KINDS } from '../src/views/registry.js';
import { workspaceCommands } from '../src/views/workspaceCommands.js';
import type { WorkspaceActions } from '../src/views/workspaceCommands.js';
import type { ThemeChoice } from '../src/views/workspaceState.js';

const key = (k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

function setup(): { registry: CommandRegistry; log: string[]; state: { tabs: number; theme: ThemeChoice; connected: boolean } } {
  const log: string[] = [];
  const state = { tabs: 0, theme: 'system' as ThemeChoice, connected: false };
  const actions: WorkspaceActions = {
    kinds: () => VIEW_KINDS.filter((k) => k.kind === 'subscription' || k.kind === 'sow'),
    openNew: (kind) => {
      state.tabs++;
      log.push(`new ${kind}`);
    },
    hasActiveTab: () => state.tabs > 0,
    tabCount: () => state.tabs,
    closeActive: () => {
      state.tabs--;
      log.push('close');
    },
    cycle: (step) => log.push(`cycle ${step}`),
    moveActive: (delta) => log.push(`move ${delta}`),
    focusFilter: () => log.push('filter'),
    connect: () => log.push('connect'),
    canDisconnect: () => state.connected,
    disconnectSelected: () => log.push('disconnect'),
    theme: () => state.theme,
    setTheme: (t) => {
      state.theme = t;
      log.push(`theme ${t}`);
    },
    toggleTheme: () => log.push('toggle'),
    openPalette: () => log.push('palette'),
  };
  const registry = new CommandRegistry();
  for (const c of workspaceCommands(actions)) registry.register(c);
  return { registry, log, state };
}

describe('workspace commands', () => {
  it('every command has a title, a category, and no two share a chord', () => {
    const { registry } = setup();
    const chords = new Map<string, string>();
    for (const c of registry.list()) {
      expect(c.title).not.toBe('');
      for (const s of c.shortcuts ?? []) {
        const text = formatShortcut(s);
        expect(chords.get(text), `${text} of ${c.id}`).toBeUndefined();
        chords.set(text, c.id);
      }
    }
    expect(chords.get('Ctrl+Shift+P')).toBe('palette.open');
    expect(chords.get('Ctrl+Alt+S')).toBe('view.new.subscription');
    expect(chords.get('Ctrl+Alt+Q')).toBe('view.new.sow');
    expect(chords.get('Ctrl+W')).toBe('tab.close');
    expect(chords.get('Ctrl+Alt+W')).toBe('tab.close');
    expect(chords.get('Ctrl+PageDown')).toBe('tab.next');
    expect(chords.get('Ctrl+Tab')).toBe('tab.next');
    expect(chords.get('Ctrl+PageUp')).toBe('tab.previous');
  });

  it('shortcuts run the actions; tab commands wait for tabs, disconnect for a connection', () => {
    const { registry, log, state } = setup();
    expect(registry.handleKey(key('w', { ctrlKey: true }), false)).toBe(false);
    expect(registry.handleKey(key('s', { ctrlKey: true, altKey: true }), true)).toBe(true);
    expect(registry.handleKey(key('q', { metaKey: true, altKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('PageDown', { ctrlKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('Tab', { ctrlKey: true, shiftKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('f', { ctrlKey: true, altKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('w', { ctrlKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('d', { ctrlKey: true, altKey: true }), false)).toBe(false);
    state.connected = true;
    expect(registry.handleKey(key('d', { ctrlKey: true, altKey: true }), false)).toBe(true);
    expect(registry.handleKey(key('F1'), false)).toBe(true);
    expect(log).toEqual(['new subscription', 'new sow', 'cycle 1', 'cycle -1', 'filter', 'close', 'disconnect', 'palette']);
  });

  it('theme commands offer the themes not in use', async () => {
    const { registry, log } = setup();
    expect(registry.isEnabled(registry.get('theme.system')!)).toBe(false);
    expect(await registry.run('theme.dark')).toBe(true);
    expect(registry.isEnabled(registry.get('theme.dark')!)).toBe(false);
    expect(await registry.run('theme.toggle')).toBe(true);
    expect(log).toEqual(['theme dark', 'toggle']);
  });
});
