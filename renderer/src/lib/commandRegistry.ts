/**
 * One registry of every user action: the command palette lists it (with its shortcut) and the
 * keyboard handler runs it. No DOM: key events are matched from their plain fields.
 */

/** A key chord. `mod` is Ctrl (Cmd on macOS). */
export interface Shortcut {
  /** `event.key`, lower case for letters (`s`, `pagedown`, `tab`, `f1`, `[`). */
  key: string;
  mod?: boolean;
  alt?: boolean;
  shift?: boolean;
}

/** A user action. */
export interface Command {
  /** Stable id, e.g. `view.new.subscription`. */
  id: string;
  /** What the palette shows, e.g. "New subscription". */
  title: string;
  /** Group in the palette ("View", "Tabs", "Connection", "Appearance"). */
  category: string;
  /** Chords that run it; the first is the one shown. */
  shortcuts?: readonly Shortcut[];
  /** False when it cannot run now (the palette shows it disabled; the key does nothing). */
  enabled?: () => boolean;
  /** Runs even while focus is in a text field (default true for chords with mod or alt). */
  inInputs?: boolean;
  run(): void | Promise<void>;
}

/** The fields of a keyboard event the registry reads. */
export interface KeyLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const KEY_NAMES: Record<string, string> = {
  pagedown: 'PageDown',
  pageup: 'PageUp',
  arrowleft: '←',
  arrowright: '→',
  arrowup: '↑',
  arrowdown: '↓',
  tab: 'Tab',
  enter: 'Enter',
  escape: 'Esc',
  delete: 'Delete',
};

/** A shortcut as people write it: `Ctrl+Alt+S` (or `⌘⌥S` style names on macOS: `Cmd+Alt+S`). */
export function formatShortcut(s: Shortcut, mac = false): string {
  const parts: string[] = [];
  if (s.mod) parts.push(mac ? 'Cmd' : 'Ctrl');
  if (s.alt) parts.push(mac ? 'Option' : 'Alt');
  if (s.shift) parts.push('Shift');
  const key = s.key.toLowerCase();
  parts.push(KEY_NAMES[key] ?? (key.length === 1 ? key.toUpperCase() : key.charAt(0).toUpperCase() + key.slice(1)));
  return parts.join('+');
}

/** The key an event names, lower case; letters and digits from `code` so Alt/Option and Shift do not change them. */
function eventKey(event: KeyLike): string {
  const code = event.code ?? '';
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  return event.key.toLowerCase();
}

/** True when `event` is the chord `s` (Ctrl or Cmd both count as `mod`, on every platform). */
export function matches(s: Shortcut, event: KeyLike): boolean {
  const mod = event.ctrlKey || event.metaKey;
  return (
    eventKey(event) === s.key.toLowerCase() &&
    mod === (s.mod ?? false) &&
    event.altKey === (s.alt ?? false) &&
    event.shiftKey === (s.shift ?? false)
  );
}

/** The registry. */
export class CommandRegistry {
  readonly #commands = new Map<string, Command>();
  readonly #listeners = new Set<() => void>();

  /** Adds (or replaces) a command; returns the function that removes it. */
  register(command: Command): () => void {
    this.#commands.set(command.id, command);
    this.#changed();
    return () => {
      if (this.#commands.get(command.id) === command) {
        this.#commands.delete(command.id);
        this.#changed();
      }
    };
  }

  /** Every command, by category then title. */
  list(): Command[] {
    return [...this.#commands.values()].sort(
      (a, b) => a.category.localeCompare(b.category) || a.title.localeCompare(b.title),
    );
  }

  get(id: string): Command | undefined {
    return this.#commands.get(id);
  }

  /** Can the command run now? */
  isEnabled(command: Command): boolean {
    return command.enabled?.() ?? true;
  }

  /** Runs a command by id when it is enabled; returns whether it ran. */
  async run(id: string): Promise<boolean> {
    const command = this.#commands.get(id);
    if (command === undefined || !this.isEnabled(command)) return false;
    await command.run();
    return true;
  }

  /** The command a key event asks for (enabled or not), if any. */
  commandFor(event: KeyLike, inInput: boolean): Command | undefined {
    for (const command of this.#commands.values()) {
      for (const s of command.shortcuts ?? []) {
        if (!matches(s, event)) continue;
        const allowedInInput = command.inInputs ?? (s.mod === true || s.alt === true || /^f\d+$/.test(s.key));
        if (inInput && !allowedInInput) continue;
        return command;
      }
    }
    return undefined;
  }

  /**
   * Handles a key event: runs the matching enabled command and returns true (the caller then
   * prevents the browser's default), false when no command wants it.
   */
  handleKey(event: KeyLike, inInput: boolean): boolean {
    const command = this.commandFor(event, inInput);
    if (command === undefined || !this.isEnabled(command)) return false;
    void command.run();
    return true;
  }

  /** Calls `listener` after every register / remove; returns the unsubscribe function. */
  watch(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  #changed(): void {
    for (const l of this.#listeners) l();
  }
}
