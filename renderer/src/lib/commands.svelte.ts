import { CommandRegistry } from './commandRegistry.js';
import type { Command } from './commandRegistry.js';

/** True on macOS (shortcuts are shown with Cmd/Option there). */
export const isMac = (): boolean =>
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

/** True when keys typed go to a text field (plain-key shortcuts leave them alone). */
function inTextField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT';
}

/**
 * The app's commands for Svelte: the {@link CommandRegistry} with a reactive list (the palette
 * re-renders when commands come and go) and the window's keyboard handler.
 */
export class Commands {
  readonly registry = new CommandRegistry();
  #version = $state(0);
  readonly #stop: () => void;

  constructor() {
    this.#stop = this.registry.watch(() => this.#version++);
  }

  /** Every command (reactive). */
  get all(): Command[] {
    void this.#version;
    return this.registry.list();
  }

  register(command: Command): () => void {
    return this.registry.register(command);
  }

  run(id: string): Promise<boolean> {
    return this.registry.run(id);
  }

  /** Listens for shortcuts on `target` (capture phase, before widgets see the keys). */
  install(target: Window): () => void {
    const onKey = (event: KeyboardEvent): void => {
      if (event.defaultPrevented || event.isComposing) return;
      if (this.registry.handleKey(event, inTextField(event.target))) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    target.addEventListener('keydown', onKey, { capture: true });
    return () => target.removeEventListener('keydown', onKey, { capture: true });
  }

  dispose(): void {
    this.#stop();
  }
}
