/**
 * An adapter giving fast-xml-parser the API and tree of client/src/types/xml.ts (elements with
 * ordered attributes and children, text and CDATA kept apart), for the codecs benchmark and to
 * run our tests against the library. The library's validator runs first, as its parser alone
 * accepts malformed markup; its errors (line and column) become PayloadError.
 */
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { PayloadError } from '../../client/src/types/payloadError.js';
import type { XmlElement, XmlNode } from '../../client/src/types/xml.js';

export type { XmlAttribute, XmlElement, XmlNode, XmlText } from '../../client/src/types/xml.js';
export const MAX_XML_DEPTH = 64;

const OPTIONS = {
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  processEntities: true,
  htmlEntities: false,
  maxNestedTags: MAX_XML_DEPTH,
} as const;

const parser = new XMLParser(OPTIONS);
const builder = new XMLBuilder({ ...OPTIONS, suppressEmptyNode: true });
const decoder = new TextDecoder('utf-8', { fatal: true });

type Ordered = Record<string, unknown> & { ':@'?: Record<string, string> };

function toNode(item: Ordered): XmlNode | undefined {
  for (const key of Object.keys(item)) {
    if (key === ':@') continue;
    const body = item[key] as Ordered[] | undefined;
    if (key === '#text') return { type: 'text', text: String(item[key]), cdata: false };
    if (key === '#cdata') {
      const inner = (body ?? []).map((b) => String(b['#text'] ?? '')).join('');
      return { type: 'text', text: inner, cdata: true };
    }
    const attrs = item[':@'] ?? {};
    return {
      type: 'element',
      name: key,
      attributes: Object.entries(attrs).map(([name, value]) => ({ name, value: String(value) })),
      children: (body ?? []).map(toNode).filter((n): n is XmlNode => n !== undefined),
    };
  }
  return undefined;
}

/** Parses an XML payload to its root element with fast-xml-parser. */
export function parseXml(bytes: Uint8Array): XmlElement {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new PayloadError('xml', 'invalid UTF-8 in XML text');
  }
  const valid = XMLValidator.validate(text);
  if (valid !== true)
    throw new PayloadError('xml', `${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`);
  let tree: Ordered[];
  try {
    tree = parser.parse(text) as Ordered[];
  } catch (error) {
    throw new PayloadError('xml', error instanceof Error ? error.message : String(error));
  }
  const root = tree.map(toNode).find((n): n is XmlElement => n?.type === 'element');
  if (!root) throw new PayloadError('xml', 'no root element');
  return root;
}

/** The library alone: its ordered tree, and text built back from it. */
export const rawFxp = {
  parse: (text: string): unknown => parser.parse(text),
  build: (tree: unknown): string => builder.build(tree) as string,
};
