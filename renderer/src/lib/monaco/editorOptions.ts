/**
 * Construction options of the two editor modes, and the conversions the editor component
 * needs (diagnostics to markers, masked text for display). No DOM; types only from Monaco.
 */
import type * as MonacoApi from 'monaco-editor/editor/editor.api.js';
import type { EditorDiagnostic, MaskedSpan } from './languages.js';

/** What an editor is created with. */
export interface EditorSetup {
  multiline: boolean;
  readOnly: boolean;
  ariaLabel: string;
  placeholder: string;
  model: MonacoApi.editor.ITextModel;
}

/** Options shared by both modes. */
function common(setup: EditorSetup): MonacoApi.editor.IStandaloneEditorConstructionOptions {
  return {
    model: setup.model,
    readOnly: setup.readOnly,
    ariaLabel: setup.ariaLabel,
    placeholder: setup.placeholder,
    automaticLayout: true,
    // The textarea input keeps role=textbox with our aria-label (found by role and name).
    editContext: false,
    fontFamily: "ui-monospace, 'SF Mono', Menlo, Consolas, monospace",
    fontSize: 12,
    wordBasedSuggestions: 'off',
    // Inside the editor's DOM, not `position: fixed`: a transformed ancestor (a dialog) would misplace them.
    fixedOverflowWidgets: false,
    stickyScroll: { enabled: false },
    accessibilitySupport: 'auto',
  };
}

/** Construction options for a single-line (input) or multi-line editor. */
export function editorOptions(
  monaco: typeof MonacoApi,
  setup: EditorSetup,
): MonacoApi.editor.IStandaloneEditorConstructionOptions {
  if (setup.multiline) {
    return {
      ...common(setup),
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      tabSize: 2,
    };
  }
  void monaco;
  return {
    ...common(setup),
    lineNumbers: 'off',
    minimap: { enabled: false },
    glyphMargin: false,
    folding: false,
    lineDecorationsWidth: 0,
    lineNumbersMinChars: 0,
    overviewRulerLanes: 0,
    overviewRulerBorder: false,
    hideCursorInOverviewRuler: true,
    renderLineHighlight: 'none',
    scrollbar: {
      vertical: 'hidden',
      horizontal: 'hidden',
      handleMouseWheel: false,
      alwaysConsumeMouseWheel: false,
      useShadows: false,
    },
    scrollBeyondLastLine: false,
    wordWrap: 'off',
    lineHeight: 26,
    contextmenu: false,
    // Tab moves the focus on, as from an input.
    tabFocusMode: true,
    occurrencesHighlight: 'off',
    selectionHighlight: false,
    links: false,
    guides: { indentation: false },
    find: { addExtraSpaceOnTop: false, seedSearchStringFromSelection: 'never' },
    quickSuggestions: { other: true, comments: false, strings: true },
    suggestOnTriggerCharacters: true,
    acceptSuggestionOnEnter: 'on',
  };
}

/** Model markers for diagnostics given by offsets. */
export function toMarkers(
  monaco: typeof MonacoApi,
  model: MonacoApi.editor.ITextModel,
  diagnostics: readonly EditorDiagnostic[],
): MonacoApi.editor.IMarkerData[] {
  return diagnostics.map((d) => {
    const start = model.getPositionAt(d.start);
    // A missing part (empty span) is marked on one character so it stays visible.
    const end = model.getPositionAt(d.end > d.start ? d.end : d.start + 1);
    const sameSpot = end.lineNumber === start.lineNumber && end.column === start.column;
    return {
      severity: d.severity === 'error' ? monaco.MarkerSeverity.Error : monaco.MarkerSeverity.Warning,
      message: d.message,
      startLineNumber: start.lineNumber,
      startColumn: start.column,
      endLineNumber: end.lineNumber,
      endColumn: sameSpot ? end.column + 1 : end.column,
    };
  });
}

/** `text` with every masked span replaced by bullets of the same length (offsets unchanged). */
export function maskText(text: string, spans: readonly MaskedSpan[]): string {
  let out = text;
  for (const s of spans) {
    const start = Math.max(0, Math.min(s.start, text.length));
    const end = Math.max(start, Math.min(s.end, text.length));
    out = out.slice(0, start) + '•'.repeat(end - start) + out.slice(end);
  }
  return out;
}
