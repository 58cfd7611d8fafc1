/**
 * The connection-string language of the editor: highlighting from the lenient tokenizer,
 * diagnostics from the client's own parser (client/src/uri.ts) with its exact span,
 * completion and hover docs, and the password masked while the editor has no focus.
 * Importing this module defines the language; Monaco loads only when an editor shows.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import { validateUri } from '../../../client/src/uri.js';
import { defineLanguage, type EditorDiagnostic, type MaskedSpan } from '../lib/monaco/languages.js';
import {
  connectionStringCompletions,
  connectionStringHover,
  type CompletionKind,
} from './connectionStringAssist.js';
import { tokenizeConnectionString } from './connectionStringTokens.js';
import { setLineTokens } from '../lib/monaco/lineTokens.js';

/** The language id to pass to the editor component. */
export const CONNECTION_STRING_LANGUAGE = 'amps-connection-string';

/** Spans holding a password. */
export function passwordSpans(text: string): MaskedSpan[] {
  return tokenizeConnectionString(text)
    .filter((t) => t.type === 'password')
    .map((t) => ({ start: t.start, end: t.end }));
}

/**
 * The client parser's verdict as editor diagnostics: none when it accepts the text, else its
 * one problem with the exact span. A password quoted in the message is replaced by bullets.
 */
export function diagnoseConnectionString(text: string): EditorDiagnostic[] {
  if (text.trim() === '') return [];
  const problem = validateUri(text);
  if (problem === undefined) return [];
  let message = problem.message;
  for (const s of passwordSpans(text)) {
    const secret = text.slice(s.start, s.end);
    if (secret.length > 0) message = message.split(secret).join('•'.repeat(secret.length));
  }
  return [{ start: problem.position, end: problem.position + problem.length, message, severity: 'error' }];
}

function setup(monaco: typeof MonacoApi): void {
  const id = CONNECTION_STRING_LANGUAGE;
  setLineTokens(monaco, id, tokenizeConnectionString);
  const kinds: Record<CompletionKind, MonacoApi.languages.CompletionItemKind> = {
    transport: monaco.languages.CompletionItemKind.Module,
    protocol: monaco.languages.CompletionItemKind.Keyword,
    messagetype: monaco.languages.CompletionItemKind.Enum,
    option: monaco.languages.CompletionItemKind.Property,
    value: monaco.languages.CompletionItemKind.Value,
  };
  monaco.languages.registerCompletionItemProvider(id, {
    triggerCharacters: ['/', '?', '&', '=', ':'],
    provideCompletionItems(model, position) {
      const text = model.getValue();
      const offset = model.getOffsetAt(position);
      const list = connectionStringCompletions(text, offset);
      const a = model.getPositionAt(list.start);
      const b = model.getPositionAt(list.end);
      const range = new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
      return {
        suggestions: list.items.map((item, index) => ({
          label: item.label,
          kind: kinds[item.kind],
          insertText: item.insertText,
          detail: item.kind === 'option' ? 'option' : item.kind,
          documentation: item.doc,
          sortText: String(index).padStart(3, '0'),
          range,
          ...(item.retrigger ? { command: { id: 'editor.action.triggerSuggest', title: 'More' } } : {}),
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider(id, {
    provideHover(model, position) {
      const hover = connectionStringHover(model.getValue(), model.getOffsetAt(position));
      if (hover === undefined) return null;
      const a = model.getPositionAt(hover.start);
      const b = model.getPositionAt(hover.end);
      return {
        range: new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column),
        contents: [{ value: `**${hover.title}**` }, { value: hover.doc }],
      };
    },
  });
}

defineLanguage({
  id: CONNECTION_STRING_LANGUAGE,
  setup,
  diagnose: diagnoseConnectionString,
  masked: passwordSpans,
});
