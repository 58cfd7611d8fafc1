/**
 * The composer's payload language: completion of the field names seen on the topic (inside a
 * JSON key's quotes) and of the template variables (after `{{`). Diagnostics come from the
 * composer's own check, passed to the editor as problems.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import { defineLanguage } from '../lib/monaco/languages.js';

/** The language id of the payload editor. */
export const PAYLOAD_LANGUAGE = 'amps-publish-payload';

/** The completions after `{{`. */
export const TEMPLATE_SNIPPETS: readonly { label: string; insert: string; doc: string }[] = [
  { label: 'seq', insert: 'seq}}', doc: 'The message number of the run: 1, 2, 3, …' },
  { label: 'uuid', insert: 'uuid}}', doc: 'A random UUID' },
  { label: 'now', insert: 'now}}', doc: 'The time of sending, ISO 8601 (UTC)' },
  { label: 'now_ms', insert: 'now_ms}}', doc: 'The time of sending, ms since the epoch' },
  { label: 'random', insert: 'random 1 100}}', doc: 'A whole number from MIN to MAX' },
  { label: 'pick', insert: 'pick "IBM" "MSFT"}}', doc: 'One of the quoted strings, at random' },
];

const fieldSources = new Map<string, () => readonly string[]>();

/** Lets the editor of `modelUri` complete the field names `source` returns; the result undoes it. */
export function providePayloadFields(modelUri: string, source: () => readonly string[]): () => void {
  fieldSources.set(modelUri, source);
  return () => {
    if (fieldSources.get(modelUri) === source) fieldSources.delete(modelUri);
  };
}

/** What to complete at `offset`: a template variable after `{{`, a field name in a key's quotes. */
export function completionContext(
  text: string,
  offset: number,
): { kind: 'variable' | 'field'; start: number } | undefined {
  const line = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const variable = /\{\{\s*([a-z_]*)$/.exec(line);
  if (variable) return { kind: 'variable', start: offset - (variable[1]?.length ?? 0) };
  const key = /(?:^|[{,])\s*"([^"]*)$/.exec(line);
  if (key) return { kind: 'field', start: offset - (key[1]?.length ?? 0) };
  return undefined;
}

function setup(monaco: typeof MonacoApi): void {
  monaco.languages.registerCompletionItemProvider(PAYLOAD_LANGUAGE, {
    triggerCharacters: ['{', '"'],
    provideCompletionItems(model, position) {
      const offset = model.getOffsetAt(position);
      const at = completionContext(model.getValue(), offset);
      if (at === undefined) return { suggestions: [] };
      const a = model.getPositionAt(at.start);
      const range = new monaco.Range(a.lineNumber, a.column, position.lineNumber, position.column);
      if (at.kind === 'variable') {
        return {
          suggestions: TEMPLATE_SNIPPETS.map((s) => ({
            label: s.label,
            kind: monaco.languages.CompletionItemKind.Variable,
            insertText: s.insert,
            documentation: s.doc,
            range,
          })),
        };
      }
      const fields = fieldSources.get(model.uri.toString())?.() ?? [];
      return {
        suggestions: fields.map((f) => ({
          label: f,
          kind: monaco.languages.CompletionItemKind.Field,
          insertText: f,
          detail: 'field seen on this topic',
          range,
        })),
      };
    },
  });
}

defineLanguage({ id: PAYLOAD_LANGUAGE, setup });
