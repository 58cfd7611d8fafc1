import { describe, expect, it } from 'vitest';
import { CommandRegistry, formatShortcut, matches } from '../src/lib/commandRegistry.js';
import type { KeyLike } from '../src/lib/commandRegistry.js';

const key = (k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  shiftKey: false,
  ...mods,
});

describe('shortcuts', () => {
  it('formats chords as people write them', () => {
    expect(formatShortcut({ key: 's', mod: true, alt: true })).toBe('Ctrl+Alt+S');
    expect(formatShortcut({ key: 'p', mod: true, shift: true }, true)).toBe('Cmd+Shift+P');
    expect(formatShortcut({ key: 'pagedown', mod: true })).toBe('Ctrl+PageDown');
    expect(formatShortcut({ key: 'f1' })).toBe('F1');
  });

  it('matches Ctrl or Cmd as mod, exact modifiers, letters by code', () => {
    const s = { key: 's', mod: true, alt: true };
    expect(matches(s, key('s', { ctrlKey: true, altKey: true }))).toBe(true);
    expect(matches(s, key('ß', { metaKey: true, altKey: true, code: 'KeyS' }))).toBe(true);
    expect(matches(s, key('s', { ctrlKey: true }))).toBe(false);
    expect(matches(s, key('s', { ctrlKey: true, altKey: true, shiftKey: true }))).toBe(false);
    expect(matches({ key: 'p', mod: true, shift: true }, key('P', { ctrlKey: true, shiftKey: true }))).toBe(true);
  });
});

describe('CommandRegistry', () => {
  it('lists commands by category and title, runs enabled ones only', async () => {
    const registry = new CommandRegistry();
    const ran: string[] = [];
    let enabled = false;
    registry.register({ id: 'b', title: 'Next tab', category: 'Tabs', run: () => void ran.push('b') });
    registry.register({ id: 'a', title: 'Connect', category: 'Connection', enabled: () => enabled, run: () => void ran.push('a') });
    expect(registry.list().map((c) => c.id)).toEqual(['a', 'b']);
    expect(await registry.run('a')).toBe(false);
    enabled = true;
    expect(await registry.run('a')).toBe(true);
    expect(await registry.run('missing')).toBe(false);
    expect(ran).toEqual(['a']);
  });

  it('a key runs its command; plain keys are left to text fields', () => {
    const registry = new CommandRegistry();
    const ran: string[] = [];
    registry.register({ id: 'new', title: 'New subscription', category: 'View', shortcuts: [{ key: 's', mod: true, alt: true }], run: () => void ran.push('new') });
    registry.register({ id: 'del', title: 'Close', category: 'Tabs', shortcuts: [{ key: 'delete' }], run: () => void ran.push('del') });
    expect(registry.handleKey(key('s', { ctrlKey: true, altKey: true }), true)).toBe(true);
    expect(registry.handleKey(key('Delete'), true)).toBe(false);
    expect(registry.handleKey(key('Delete'), false)).toBe(true);
    expect(registry.handleKey(key('x', { ctrlKey: true }), false)).toBe(false);
    expect(ran).toEqual(['new', 'del']);
  });

  it('a disabled command does not take the key (the browser keeps it)', () => {
    const registry = new CommandRegistry();
    registry.register({ id: 'c', title: 'Close tab', category: 'Tabs', shortcuts: [{ key: 'w', mod: true }], enabled: () => false, run: () => undefined });
    expect(registry.commandFor(key('w', { ctrlKey: true }), false)?.id).toBe('c');
    expect(registry.handleKey(key('w', { ctrlKey: true }), false)).toBe(false);
  });

  it('removing a command notifies watchers; a replaced one is not removed by its old handle', () => {
    const registry = new CommandRegistry();
    let changes = 0;
    registry.watch(() => changes++);
    const remove = registry.register({ id: 'x', title: 'X', category: 'C', run: () => undefined });
    registry.register({ id: 'x', title: 'X2', category: 'C', run: () => undefined });
    remove();
    expect(registry.get('x')?.title).toBe('X2');
    expect(changes).toBe(2);
  });
});
