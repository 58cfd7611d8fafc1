/**
 * The editor themes, matching the app's light and dark palettes (renderer/src/app.css), and
 * which one applies: the root's `data-theme` (`light` / `dark`) when set, else the system's.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';

/** Theme names registered with Monaco. */
export const MONACO_THEMES = { light: 'amps-light', dark: 'amps-dark' } as const;

/** Token colours shared by our languages (token names end in the language id, e.g. `host.amps-connection-string`). */
const LIGHT_RULES = [
  { token: 'transport', foreground: '8250df', fontStyle: 'bold' },
  { token: 'credentials', foreground: '953800' },
  { token: 'password', foreground: '953800', fontStyle: 'italic' },
  { token: 'host', foreground: '0550ae' },
  { token: 'port', foreground: '116329' },
  { token: 'protocol', foreground: 'cf222e' },
  { token: 'messagetype', foreground: 'cf222e', fontStyle: 'bold' },
  { token: 'option.key', foreground: '6639ba' },
  { token: 'option.value', foreground: '0a3069' },
  { token: 'delimiter', foreground: '67717c' },
  { token: 'invalid', foreground: 'c62828', fontStyle: 'underline' },
  // AMPS filters (renderer/src/filters/filterTokens.ts)
  { token: 'field', foreground: '0550ae' },
  { token: 'function', foreground: '8250df' },
  { token: 'constant', foreground: '116329', fontStyle: 'bold' },
  { token: 'regexp', foreground: '953800' },
];
const DARK_RULES = [
  { token: 'transport', foreground: 'd2a8ff', fontStyle: 'bold' },
  { token: 'credentials', foreground: 'ffa657' },
  { token: 'password', foreground: 'ffa657', fontStyle: 'italic' },
  { token: 'host', foreground: '79c0ff' },
  { token: 'port', foreground: '7ee787' },
  { token: 'protocol', foreground: 'ff7b72' },
  { token: 'messagetype', foreground: 'ff7b72', fontStyle: 'bold' },
  { token: 'option.key', foreground: 'd2a8ff' },
  { token: 'option.value', foreground: 'a5d6ff' },
  { token: 'delimiter', foreground: '8d97a3' },
  { token: 'invalid', foreground: 'ff7b72', fontStyle: 'underline' },
  { token: 'field', foreground: '79c0ff' },
  { token: 'function', foreground: 'd2a8ff' },
  { token: 'constant', foreground: '7ee787', fontStyle: 'bold' },
  { token: 'regexp', foreground: 'ffa657' },
];

/** Registers both themes. */
export function defineAppThemes(monaco: typeof MonacoApi): void {
  monaco.editor.defineTheme(MONACO_THEMES.light, {
    base: 'vs',
    inherit: true,
    rules: LIGHT_RULES,
    colors: { 'editor.background': '#ffffff', 'editor.foreground': '#1d2329' },
  });
  monaco.editor.defineTheme(MONACO_THEMES.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: DARK_RULES,
    colors: { 'editor.background': '#1c2026', 'editor.foreground': '#e3e7ec' },
  });
}

/** `light` or `dark`: the root's `data-theme` when it names one, else the system preference. */
export function currentAppTheme(root: HTMLElement, prefersDark: boolean): 'light' | 'dark' {
  const set = root.dataset['theme'];
  if (set === 'light' || set === 'dark') return set;
  return prefersDark ? 'dark' : 'light';
}

/**
 * Calls `apply` with the app's theme now and whenever `data-theme` on the root or the system
 * preference changes; returns the function that stops watching.
 */
export function watchAppTheme(apply: (theme: 'light' | 'dark') => void): () => void {
  const root = document.documentElement;
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  const update = (): void => apply(currentAppTheme(root, media.matches));
  const observer = new MutationObserver(update);
  observer.observe(root, { attributes: true, attributeFilter: ['data-theme', 'class'] });
  media.addEventListener('change', update);
  update();
  return () => {
    observer.disconnect();
    media.removeEventListener('change', update);
  };
}
