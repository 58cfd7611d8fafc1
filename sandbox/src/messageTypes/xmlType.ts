/**
 * XML message type (spec §13): identifiers `/Root/Child` and `/Root/@attr`. An element
 * with neither attributes nor child elements is its text; otherwise an object of `@attr`
 * members and child elements (a repeated child name becomes an array). Delta publish merges
 * element by element; delta subscribers receive the key fields plus the changed attributes
 * and elements (the n-th child of a name is compared with the old n-th child of that name).
 */
import type { XmlElement, XmlNode } from '../../../client/src/types/index.js';
import { parseXml } from '../../../client/src/types/index.js';
import type { MessageTypeCodec } from '../messageTypes.js';
import { guarded } from './parseError.js';

const isElement = (n: XmlNode): n is XmlElement => n.type === 'element';

function textOf(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.type === 'text') s += c.text;
  return s;
}

function elementToPlain(el: XmlElement): unknown {
  const elements = el.children.filter(isElement);
  if (el.attributes.length === 0 && elements.length === 0) return textOf(el);
  const out: Record<string, unknown> = {};
  for (const a of el.attributes) out[`@${a.name}`] = a.value;
  for (const child of elements) {
    const v = elementToPlain(child);
    const prev = out[child.name];
    if (prev === undefined) out[child.name] = v;
    else if (Array.isArray(prev)) prev.push(v);
    else out[child.name] = [prev, v];
  }
  return out;
}

/** Element-wise merge: update attributes and children replace same-named ones; empty ones are NULL. */
function mergeElements(old: XmlElement, update: XmlElement): XmlElement {
  const attributes = old.attributes.slice();
  for (const a of update.attributes) {
    const i = attributes.findIndex((x) => x.name === a.name);
    if (i < 0) attributes.push(a);
    else attributes[i] = a;
  }
  const updElements = update.children.filter(isElement);
  if (updElements.length === 0) {
    const text = textOf(update);
    const children = text.trim() === '' ? old.children : update.children;
    return { type: 'element', name: old.name, attributes, children };
  }
  const children = old.children.slice();
  const used = new Set<number>();
  for (const u of updElements) {
    const i = children.findIndex((c, j) => !used.has(j) && isElement(c) && c.name === u.name);
    if (i < 0) {
      children.push(u);
      used.add(children.length - 1);
      continue;
    }
    used.add(i);
    const prev = children[i] as XmlElement;
    const empty = u.attributes.length === 0 && u.children.length === 0;
    if (!empty) children[i] = mergeElements(prev, u);
  }
  return { type: 'element', name: old.name, attributes, children };
}

interface ElementDelta {
  el: XmlElement;
  changed: boolean;
  /** Holds a key field (so it is sent even when unchanged). */
  keyed: boolean;
}

/**
 * Changed attributes and elements of `next` against `old`, plus the key fields; `keys` are
 * the key paths below this element as step lists (`['@id']`, `['Leg','px']`).
 */
function diffElement(old: XmlElement | undefined, next: XmlElement, keys: readonly string[][]): ElementDelta {
  const isKey = (step: string): boolean => keys.some((k) => k.length === 1 && k[0] === step);
  const attributes = next.attributes.filter((a) => {
    const prev = old?.attributes.find((x) => x.name === a.name);
    return prev?.value !== a.value || isKey(`@${a.name}`);
  });
  let changed = attributes.some((a) => old?.attributes.find((x) => x.name === a.name)?.value !== a.value);
  let keyed = attributes.some((a) => isKey(`@${a.name}`));
  const elements = next.children.filter(isElement);
  if (elements.length === 0) {
    const textChanged = old === undefined || old.children.some(isElement) || textOf(old) !== textOf(next);
    const keep = textChanged || keys.some((k) => k.length === 0);
    return {
      el: { type: 'element', name: next.name, attributes, children: keep ? next.children : [] },
      changed: changed || textChanged,
      keyed: keyed || keys.some((k) => k.length === 0),
    };
  }
  const children: XmlNode[] = [];
  const seen = new Map<string, number>();
  for (const c of elements) {
    const nth = seen.get(c.name) ?? 0;
    seen.set(c.name, nth + 1);
    const prev = old?.children.filter(isElement).filter((x) => x.name === c.name)[nth];
    const below = keys.filter((k) => k[0] === c.name).map((k) => k.slice(1));
    const d = diffElement(prev, c, below);
    if (d.changed || d.keyed) children.push(d.el);
    changed ||= d.changed;
    keyed ||= d.keyed;
  }
  return { el: { type: 'element', name: next.name, attributes, children }, changed, keyed };
}

const escapeText = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;');

function writeElement(el: XmlElement): string {
  let s = `<${el.name}`;
  for (const a of el.attributes) s += ` ${a.name}="${escapeAttr(a.value)}"`;
  if (el.children.length === 0) return `${s}/>`;
  s += '>';
  for (const c of el.children) s += c.type === 'element' ? writeElement(c) : escapeText(c.text);
  return `${s}</${el.name}>`;
}

const read = (data: Buffer): XmlElement => guarded('xml', () => parseXml(data));

/** XML documents. */
export const xmlCodec: MessageTypeCodec = {
  name: 'xml',
  parsable: true,
  parse(data) {
    const root = read(data);
    return { [root.name]: elementToPlain(root) };
  },
  merge(old, update) {
    const before = read(old);
    const after = read(update);
    if (before.name !== after.name) return update;
    return Buffer.from(writeElement(mergeElements(before, after)), 'utf8');
  },
  diff(old, next, keyPaths) {
    const before = read(old);
    const after = read(next);
    if (before.name !== after.name) return { data: next, changed: true };
    const keys = keyPaths
      .map((p) => p.split('/').filter((x) => x !== ''))
      .filter((steps) => steps[0] === after.name)
      .map((steps) => steps.slice(1));
    const d = diffElement(before, after, keys);
    return { data: Buffer.from(writeElement(d.el), 'utf8'), changed: d.changed };
  },
};
