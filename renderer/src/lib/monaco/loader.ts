/**
 * The one place that loads Monaco, imported lazily (`import('./loader.js')`) by the editor
 * component, so the editor's code is a separate chunk fetched the first time an editor shows.
 *
 * Only the editor API and the contributions our editors use are imported (not the ~80
 * language definitions of `editor.main`). The editor worker is bundled by Vite (`?worker`)
 * and started from the app's own origin, which the CSP allows (`worker-src 'self'`); nothing
 * here needs `unsafe-eval`.
 */
import * as monaco from 'monaco-editor/editor/editor.api.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/editor/contrib/suggest/browser/suggestInlineCompletions.js';
import 'monaco-editor/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/editor/contrib/placeholderText/browser/placeholderText.contribution.js';
import 'monaco-editor/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/editor/contrib/find/browser/findController.js';
import 'monaco-editor/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js';
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker';
import { MONACO_THEMES, defineAppThemes, watchAppTheme } from './themes.js';

interface MonacoEnvironmentHolder {
  MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
}

(self as unknown as MonacoEnvironmentHolder).MonacoEnvironment = {
  // Our languages run on the main thread; the generic editor worker serves the rest
  // (word-based suggestions, link detection, diff computation).
  getWorker: () => new EditorWorker(),
};

defineAppThemes(monaco);
// One watcher for the page: Monaco's theme is global to all editors.
watchAppTheme((theme) => monaco.editor.setTheme(MONACO_THEMES[theme]));

export { monaco };
export { ensureLanguage } from './languages.js';
/** The Monaco API object. */
export type Monaco = typeof monaco;
