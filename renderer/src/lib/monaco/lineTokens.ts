import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';

/** One highlighted span of a line: where it starts and its token type. */
export interface LineToken {
  start: number;
  type: string;
}

/** The tokenizers here read each line on its own: one state object serves every line. */
class LineState implements MonacoApi.languages.IState {
  clone(): LineState {
    return this;
  }
  equals(other: MonacoApi.languages.IState): boolean {
    return other === this;
  }
}
const STATE = new LineState();

/**
 * Highlights language `id` line by line with `tokenize`; each token's scope is `TYPE.ID`,
 * which the app's themes colour.
 */
export function setLineTokens(
  monaco: typeof MonacoApi,
  id: string,
  tokenize: (line: string) => readonly LineToken[],
): void {
  monaco.languages.setTokensProvider(id, {
    getInitialState: () => STATE,
    tokenize: (line) => ({
      tokens: tokenize(line).map((t) => ({ startIndex: t.start, scopes: `${t.type}.${id}` })),
      endState: STATE,
    }),
  });
}
