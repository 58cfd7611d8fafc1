/**
 * The AMPS filter language of the editor: highlighting from the client's lexer, diagnostics
 * from the client's parser and compiler (client/src/expression, pure) with the exact span,
 * completion of fields / functions / operators and hover docs. Importing this module defines
 * the language; Monaco loads only when an editor shows.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import { checkFilter } from '../../../client/src/expression/index.js';
import { defineLanguage, type EditorDiagnostic } from '../lib/monaco/languages.js';
import { filterCompletions, filterHover, type FilterCompletionKind } from './filterAssist.js';
import { tokenizeFilter } from './filterTokens.js';
import { setLineTokens } from '../lib/monaco/lineTokens.js';

/** The language id to pass to the editor component. */
export const FILTER_LANGUAGE = 'amps-filter';

/**
 * The client's verdict on a filter as editor diagnostics: none when it accepts the text, else
 * its one problem spanning `[position, position + length)` (empty at the end of the text).
 */
export function diagnoseFilter(text: string): EditorDiagnostic[] {
  if (text.trim() === '') return [];
  const problem = checkFilter(text);
  if (problem === undefined) return [];
  return [
    {
      start: problem.position,
      end: problem.position + problem.length,
      message: problem.message,
      severity: 'error',
    },
  ];
}

/** The field paths each editor's model offers (by model URI), set by the editor component. */
const fieldSources = new Map<string, () => readonly string[]>();

/** Lets the editor of `modelUri` complete the fields `source` returns; the result undoes it. */
export function provideFields(modelUri: string, source: () => readonly string[]): () => void {
  fieldSources.set(modelUri, source);
  return () => {
    if (fieldSources.get(modelUri) === source) fieldSources.delete(modelUri);
  };
}

function setup(monaco: typeof MonacoApi): void {
  const id = FILTER_LANGUAGE;
  setLineTokens(monaco, id, tokenizeFilter);
  const kinds: Record<FilterCompletionKind, MonacoApi.languages.CompletionItemKind> = {
    field: monaco.languages.CompletionItemKind.Field,
    function: monaco.languages.CompletionItemKind.Function,
    keyword: monaco.languages.CompletionItemKind.Keyword,
    operator: monaco.languages.CompletionItemKind.Operator,
  };
  monaco.languages.registerCompletionItemProvider(id, {
    triggerCharacters: ['/', ' ', '('],
    provideCompletionItems(model, position) {
      const fields = fieldSources.get(model.uri.toString())?.() ?? [];
      const list = filterCompletions(model.getValue(), model.getOffsetAt(position), fields);
      const a = model.getPositionAt(list.start);
      const b = model.getPositionAt(list.end);
      const range = new monaco.Range(a.lineNumber, a.column, b.lineNumber, b.column);
      return {
        suggestions: list.items.map((item, index) => ({
          label: item.label,
          kind: kinds[item.kind],
          insertText: item.insertText,
          detail: item.detail,
          ...(item.doc === undefined ? {} : { documentation: { value: item.doc } }),
          sortText: String(index).padStart(4, '0'),
          range,
        })),
      };
    },
  });
  monaco.languages.registerHoverProvider(id, {
    provideHover(model, position) {
      const hover = filterHover(model.getValue(), model.getOffsetAt(position));
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

defineLanguage({ id: FILTER_LANGUAGE, setup, diagnose: diagnoseFilter });
