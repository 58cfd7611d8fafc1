/**
 * Every workspace action as a command (palette + shortcuts). Browsers keep some chords for
 * themselves (Ctrl+W, Ctrl+Tab, Ctrl+PageDown close or switch the browser's tabs), so every
 * such action also has a chord a page can use; Electron gets them all.
 */
import type { Command } from '../lib/commandRegistry.js';
import type { ViewKind } from './registry.js';
import type { ThemeChoice } from './workspaceState.js';

/** What the commands act on. */
export interface WorkspaceActions {
  kinds(): ViewKind[];
  openNew(kind: string): void;
  hasActiveTab(): boolean;
  tabCount(): number;
  closeActive(): void;
  cycle(step: 1 | -1): void;
  moveActive(delta: -1 | 1): void;
  focusFilter(): void;
  /** Connect: the active view's connection if it is closed, else the quick-connect form. */
  connect(): void;
  canDisconnect(): boolean;
  disconnectSelected(): void;
  theme(): ThemeChoice;
  setTheme(theme: ThemeChoice): void;
  toggleTheme(): void;
  openPalette(): void;
}

/** The workspace's commands. */
export function workspaceCommands(a: WorkspaceActions): Command[] {
  const newViews: Command[] = a.kinds().map((k) => ({
    id: `view.new.${k.kind}`,
    title: k.newCommandTitle,
    category: 'View',
    shortcuts: k.shortcuts,
    run: () => a.openNew(k.kind),
  }));
  const many = (): boolean => a.tabCount() > 1;
  return [
    ...newViews,
    {
      id: 'palette.open',
      title: 'Show all commands',
      category: 'Workspace',
      shortcuts: [{ key: 'p', mod: true, shift: true }, { key: 'f1' }],
      run: () => a.openPalette(),
    },
    {
      id: 'tab.close',
      title: 'Close the tab',
      category: 'Tabs',
      shortcuts: [
        { key: 'w', mod: true },
        { key: 'w', mod: true, alt: true },
      ],
      enabled: a.hasActiveTab,
      run: () => a.closeActive(),
    },
    {
      id: 'tab.next',
      title: 'Next tab',
      category: 'Tabs',
      shortcuts: [
        { key: 'pagedown', mod: true },
        { key: 'tab', mod: true },
        { key: 'pagedown', alt: true },
      ],
      enabled: many,
      run: () => a.cycle(1),
    },
    {
      id: 'tab.previous',
      title: 'Previous tab',
      category: 'Tabs',
      shortcuts: [
        { key: 'pageup', mod: true },
        { key: 'tab', mod: true, shift: true },
        { key: 'pageup', alt: true },
      ],
      enabled: many,
      run: () => a.cycle(-1),
    },
    {
      id: 'tab.moveLeft',
      title: 'Move the tab left',
      category: 'Tabs',
      shortcuts: [{ key: 'pageup', mod: true, shift: true }],
      enabled: many,
      run: () => a.moveActive(-1),
    },
    {
      id: 'tab.moveRight',
      title: 'Move the tab right',
      category: 'Tabs',
      shortcuts: [{ key: 'pagedown', mod: true, shift: true }],
      enabled: many,
      run: () => a.moveActive(1),
    },
    {
      id: 'view.focusFilter',
      title: 'Focus the filter',
      category: 'View',
      shortcuts: [{ key: 'f', mod: true, alt: true }],
      enabled: a.hasActiveTab,
      run: () => a.focusFilter(),
    },
    {
      id: 'connection.connect',
      title: 'Connect',
      category: 'Connection',
      shortcuts: [{ key: 'c', mod: true, alt: true }],
      run: () => a.connect(),
    },
    {
      id: 'connection.disconnect',
      title: 'Disconnect the selected connection',
      category: 'Connection',
      shortcuts: [{ key: 'd', mod: true, alt: true }],
      enabled: a.canDisconnect,
      run: () => a.disconnectSelected(),
    },
    {
      id: 'theme.toggle',
      title: 'Toggle the theme (system, light, dark)',
      category: 'Appearance',
      shortcuts: [{ key: 't', mod: true, alt: true }],
      run: () => a.toggleTheme(),
    },
    ...(['light', 'dark', 'system'] as const).map(
      (theme): Command => ({
        id: `theme.${theme}`,
        title: theme === 'system' ? 'Theme: follow the system' : `Theme: ${theme}`,
        category: 'Appearance',
        enabled: () => a.theme() !== theme,
        run: () => a.setTheme(theme),
      }),
    ),
  ];
}
