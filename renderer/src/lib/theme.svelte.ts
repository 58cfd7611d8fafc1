import type { ThemeChoice } from '../views/workspaceState.js';
import { THEME_ATTRIBUTE, resolveTheme } from './theme.js';
import type { ResolvedTheme } from './theme.js';

const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Follows the system's colour scheme and applies a theme choice to the document root
 * (`data-theme`, `color-scheme`), so every part of the app draws it.
 */
export class ThemeController {
  #systemDark = $state(false);
  #choice: ThemeChoice = $state('system');
  readonly resolved: ResolvedTheme = $derived(resolveTheme(this.#choice, this.#systemDark));
  readonly #stop: () => void;

  constructor() {
    const query = typeof matchMedia === 'function' ? matchMedia(DARK_QUERY) : undefined;
    this.#systemDark = query?.matches ?? false;
    const onChange = (event: MediaQueryListEvent): void => {
      this.#systemDark = event.matches;
      this.#apply();
    };
    query?.addEventListener('change', onChange);
    this.#stop = () => query?.removeEventListener('change', onChange);
    this.#apply();
  }

  get choice(): ThemeChoice {
    return this.#choice;
  }

  set(choice: ThemeChoice): void {
    this.#choice = choice;
    this.#apply();
  }

  #apply(): void {
    const root = document.documentElement;
    const theme = resolveTheme(this.#choice, this.#systemDark);
    root.setAttribute(THEME_ATTRIBUTE, theme);
    root.style.colorScheme = theme;
  }

  dispose(): void {
    this.#stop();
  }
}
