/**
 * Completion and hover for connection strings, as plain data (no Monaco): what to offer at a
 * cursor offset and which span it replaces, and the doc of the part under the cursor.
 */
import { URI_OPTIONS, type UriTransport } from '../../../client/src/uri.js';
import {
  MESSAGE_TYPE_DOCS,
  OPTION_DOCS,
  PART_DOCS,
  PROTOCOL_DOCS,
  TRANSPORT_DOCS,
} from './connectionStringDocs.js';
import { LEGACY_PROTOCOLS, tokenAt, tokenizeConnectionString } from './connectionStringTokens.js';

/** What a completion item completes. */
export type CompletionKind = 'transport' | 'protocol' | 'messagetype' | 'option' | 'value';

/** One completion: `insertText` replaces the text `[start, end)` of the completion list. */
export interface ConnectionStringCompletion {
  label: string;
  insertText: string;
  kind: CompletionKind;
  doc: string;
  /** Ask for completion again after inserting (e.g. after `tcp://` or `key=`). */
  retrigger?: boolean;
}

/** The items offered at an offset and the span they replace. */
export interface CompletionList {
  start: number;
  end: number;
  items: ConnectionStringCompletion[];
}

const TRANSPORTS = Object.keys(TRANSPORT_DOCS) as UriTransport[];
const isTransport = (t: string): t is UriTransport => (TRANSPORTS as string[]).includes(t);

/** Completions at `offset` of `text`. */
export function connectionStringCompletions(text: string, offset: number): CompletionList {
  const head = text.slice(0, offset);
  const sep = head.indexOf('://');
  if (sep < 0) {
    return {
      start: 0,
      end: offset,
      items: TRANSPORTS.map((t) => ({
        label: t,
        insertText: `${t}://`,
        kind: 'transport',
        doc: TRANSPORT_DOCS[t],
      })),
    };
  }
  const transportText = head.slice(0, sep);
  const transport = isTransport(transportText) ? transportText : undefined;
  const rest = sep + 3;
  const query = head.indexOf('?', rest);
  if (query >= 0) {
    const segStart = Math.max(head.lastIndexOf('&'), query) + 1;
    const segment = head.slice(segStart);
    const eq = segment.indexOf('=');
    if (eq >= 0) {
      const name = segment.slice(0, eq);
      const values = Object.hasOwn(OPTION_DOCS, name) ? (OPTION_DOCS[name]?.values ?? []) : [];
      return {
        start: segStart + eq + 1,
        end: offset,
        items: values.map((v) => ({ label: v.value, insertText: v.value, kind: 'value', doc: v.doc })),
      };
    }
    const present = new Set(
      text
        .slice(query + 1)
        .split('&')
        .map((p) => p.split('=')[0] ?? ''),
    );
    const items = Object.entries(OPTION_DOCS)
      .filter(([name]) => {
        const spec = URI_OPTIONS[name];
        if (spec === undefined) return false;
        if (transport !== undefined && !spec.transports.includes(transport)) return false;
        return !present.has(name) || name === segment;
      })
      .map(([name, d]) => ({
        label: name,
        insertText: `${name}=`,
        kind: 'option' as const,
        doc: d.doc,
        retrigger: d.values !== undefined,
      }));
    return { start: segStart, end: offset, items };
  }
  let authEnd = rest;
  while (authEnd < head.length && head[authEnd] !== '/') authEnd++;
  if (authEnd >= head.length) return { start: offset, end: offset, items: [] };
  const segStart = head.lastIndexOf('/') + 1;
  const previous = head.slice(authEnd + 1, segStart - 1).split('/');
  const ws = transport === 'ws' || transport === 'wss';
  if (segStart > authEnd + 1 && previous[previous.length - 1] === 'amps') {
    return {
      start: segStart,
      end: offset,
      items: Object.entries(MESSAGE_TYPE_DOCS).map(([name, doc]) => ({
        label: name,
        insertText: name,
        kind: 'messagetype',
        doc,
      })),
    };
  }
  const items: ConnectionStringCompletion[] = [
    { label: 'amps', insertText: 'amps/', kind: 'protocol', doc: PROTOCOL_DOCS['amps'] ?? '', retrigger: true },
  ];
  if (!ws) {
    for (const p of LEGACY_PROTOCOLS) items.push({ label: p, insertText: p, kind: 'protocol', doc: PROTOCOL_DOCS[p] ?? '' });
  }
  return { start: segStart, end: offset, items };
}

/** The doc of the part at `offset`, with its span, or undefined where there is none. */
export function connectionStringHover(
  text: string,
  offset: number,
): { start: number; end: number; title: string; doc: string } | undefined {
  const token = tokenAt(tokenizeConnectionString(text), offset);
  if (token === undefined || token.type === 'delimiter') return undefined;
  const value = text.slice(token.start, token.end);
  const span = { start: token.start, end: token.end };
  switch (token.type) {
    case 'transport':
      return isTransport(value)
        ? { ...span, title: `transport ${value}`, doc: TRANSPORT_DOCS[value] }
        : { ...span, title: 'transport', doc: `Unknown transport; expected one of ${TRANSPORTS.join(', ')}.` };
    case 'protocol':
      return { ...span, title: `protocol ${value}`, doc: PROTOCOL_DOCS[value] ?? '' };
    case 'messagetype':
      return {
        ...span,
        title: `message type ${value}`,
        doc: MESSAGE_TYPE_DOCS[value] ?? 'A message type configured on the server (composite or custom).',
      };
    case 'option.key': {
      const d = Object.hasOwn(OPTION_DOCS, value) ? OPTION_DOCS[value] : undefined;
      return d === undefined
        ? { ...span, title: `option ${value}`, doc: 'Unknown option.' }
        : { ...span, title: `option ${value}`, doc: optionDoc(d.doc, d.values) };
    }
    case 'option.value': {
      const name = token.option ?? '';
      const d = Object.hasOwn(OPTION_DOCS, name) ? OPTION_DOCS[name] : undefined;
      return { ...span, title: `value of ${name}`, doc: d === undefined ? 'Unknown option.' : optionDoc(d.doc, d.values) };
    }
    case 'credentials':
      return { ...span, title: 'user', doc: PART_DOCS.credentials };
    case 'password':
      return { ...span, title: 'password', doc: PART_DOCS.password };
    case 'host':
      return { ...span, title: 'host', doc: PART_DOCS.host };
    case 'port':
      return { ...span, title: 'port', doc: PART_DOCS.port };
    case 'path':
      return { ...span, title: 'path prefix', doc: PART_DOCS.path };
  }
}

function optionDoc(doc: string, values: readonly { value: string }[] | undefined): string {
  return values === undefined ? doc : `${doc} Values: ${values.map((v) => v.value).join(', ')}.`;
}
