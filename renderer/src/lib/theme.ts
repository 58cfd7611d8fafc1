/**
 * The theme: light, dark, or the system's. The resolved theme is set as `data-theme` on the
 * root element; app.css keys its custom properties on it, and Monaco, grids and charts read it
 * (`currentTheme()` or a MutationObserver on the attribute).
 */
import type { ThemeChoice } from '../views/workspaceState.js';

/** A theme as drawn. */
export type ResolvedTheme = 'light' | 'dark';

/** The attribute on `<html>` holding the resolved theme. */
export const THEME_ATTRIBUTE = 'data-theme';

/** The theme drawn for a choice, given whether the system prefers dark. */
export const resolveTheme = (choice: ThemeChoice, systemDark: boolean): ResolvedTheme =>
  choice === 'system' ? (systemDark ? 'dark' : 'light') : choice;

/** The toggle's next choice: system → light → dark → system. */
export function nextTheme(choice: ThemeChoice): ThemeChoice {
  if (choice === 'system') return 'light';
  if (choice === 'light') return 'dark';
  return 'system';
}

/** What the toggle says for a choice. */
export function themeLabel(choice: ThemeChoice, resolved: ResolvedTheme): string {
  return choice === 'system' ? `System theme (${resolved})` : choice === 'light' ? 'Light theme' : 'Dark theme';
}

/** The theme drawn now (from the root's attribute), for components outside Svelte's reach. */
export function currentTheme(root: { getAttribute(name: string): string | null }): ResolvedTheme {
  return root.getAttribute(THEME_ATTRIBUTE) === 'dark' ? 'dark' : 'light';
}
