/**
 * Editor languages, defined without loading Monaco: a language module (connection strings,
 * AMPS filters, payloads) calls {@link defineLanguage} when it is imported, and the editor
 * component sets it up on the Monaco instance the first time an editor uses it.
 *
 * Diagnostics are pure (`diagnose(text)`) so the component can show them as markers AND as
 * accessible text, and tests can check them without a DOM.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';

/** A problem in the editor's text, by UTF-16 offsets `[start, end)`. */
export interface EditorDiagnostic {
  start: number;
  end: number;
  message: string;
  severity: 'error' | 'warning';
}

/** A span of the text to show masked (e.g. a password) while the editor has no focus. */
export interface MaskedSpan {
  start: number;
  end: number;
}

/** What a language brings to the editor. */
export interface LanguageDefinition {
  id: string;
  /** Registers tokens, completion, hover… on Monaco; called once per page. */
  setup(monaco: typeof MonacoApi): void;
  /** Problems of the whole text, recomputed on each change. */
  diagnose?(text: string): EditorDiagnostic[];
  /** Spans to mask while the editor is not focused. */
  masked?(text: string): MaskedSpan[];
}

const definitions = new Map<string, LanguageDefinition>();
const setUp = new Set<string>();

/** Makes a language available to editors (idempotent; the last definition wins). */
export function defineLanguage(definition: LanguageDefinition): void {
  definitions.set(definition.id, definition);
}

/** The definition of `id`, when a module defined it. */
export function languageDefinition(id: string): LanguageDefinition | undefined {
  return definitions.get(id);
}

/** Sets the language up on `monaco` once. Unknown ids (Monaco's own, or plain text) are left alone. */
export function ensureLanguage(monaco: typeof MonacoApi, id: string): void {
  const definition = definitions.get(id);
  if (definition === undefined || setUp.has(id)) return;
  setUp.add(id);
  if (!monaco.languages.getLanguages().some((l) => l.id === id)) monaco.languages.register({ id });
  definition.setup(monaco);
}

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}
