import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/types/xml.js';
import { enc, errorOf } from './helpers.js';

describe('XML parse', () => {
  it('builds a tree of elements, attributes and text', () => {
    const root = parseXml(
      enc(`<?xml version="1.0" encoding="UTF-8"?>
<!-- an order -->
<Order id='7' side="buy"><Sym>MSFT</Sym><Qty>100</Qty><Note><![CDATA[a < b]]></Note><Empty/></Order>
<?trailer ok?>`),
    );
    expect(root).toEqual({
      type: 'element',
      name: 'Order',
      attributes: [
        { name: 'id', value: '7' },
        { name: 'side', value: 'buy' },
      ],
      children: [
        {
          type: 'element',
          name: 'Sym',
          attributes: [],
          children: [{ type: 'text', text: 'MSFT', cdata: false }],
        },
        {
          type: 'element',
          name: 'Qty',
          attributes: [],
          children: [{ type: 'text', text: '100', cdata: false }],
        },
        {
          type: 'element',
          name: 'Note',
          attributes: [],
          children: [{ type: 'text', text: 'a < b', cdata: true }],
        },
        { type: 'element', name: 'Empty', attributes: [], children: [] },
      ],
    });
  });

  it('expands the five predefined entities and character references only', () => {
    const root = parseXml(enc('<a t="&quot;x&quot;&#10;">&lt;&gt;&amp;&apos;&#x1F600;&#233;</a>'));
    expect(root.attributes[0]?.value).toBe('"x" ');
    expect(root.children[0]).toEqual({ type: 'text', text: "<>&'😀é", cdata: false });
  });

  it('keeps namespace prefixes in names', () => {
    const root = parseXml(enc('<s:Env xmlns:s="urn:x"><s:Body/></s:Env>'));
    expect(root.name).toBe('s:Env');
    expect((root.children[0] as { name: string }).name).toBe('s:Body');
  });

  it('accepts 64 levels of nesting and rejects 65', () => {
    const nest = (n: number): string => '<a>'.repeat(n) + '</a>'.repeat(n);
    expect(parseXml(enc(nest(64))).name).toBe('a');
    const e = errorOf(() => parseXml(enc(nest(65))));
    expect(e.message).toMatch(/nested deeper than 64 levels/);
    expect(e.position).toBe(64 * 3);
  });
});

describe('XML errors', () => {
  const cases: [string, RegExp, number][] = [
    ['', /no root element/, 0],
    ['<a><b></a>', /end tag <\/a> does not match <b>/, 6],
    ['<a>', /element <a> is not closed/, 3],
    ['<a>&foo;</a>', /undefined entity &foo;/, 3],
    ['<a>&#0;</a>', /invalid character reference &#0;/, 3],
    ['<a>x & y</a>', /'&' must start a reference/, 5],
    ['<a x="1" x="2"/>', /duplicate attribute 'x'/, 9],
    ['<a x=1/>', /must be quoted/, 5],
    ['<a x="<"/>', /'<' in the value of attribute 'x'/, 6],
    ['<a/><b/>', /content after the root element/, 4],
    ['<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>', /DOCTYPE is not supported/, 0],
    ['<a><!-- open</a>', /unterminated comment/, 7],
    ['<a><![CDATA[x</a>', /unterminated CDATA section/, 12],
    ['<é><b></c></é>', /does not match <b>/, 7],
    ['<a>]]></a>', /']]>' is not allowed/, 3],
    ['<a>\u0001</a>', /control character U\+0001/, 3],
  ];
  for (const [text, message, position] of cases) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      const e = errorOf(() => parseXml(enc(text)));
      expect(e.format).toBe('xml');
      expect(e.message).toMatch(message);
      expect(e.position).toBe(position);
    });
  }

  it('rejects bad UTF-8 with the byte offset', () => {
    const e = errorOf(() => parseXml(Uint8Array.of(0x3c, 0x61, 0x3e, 0xe2, 0x82, 0x3c, 0x2f, 0x61, 0x3e)));
    expect(e.message).toMatch(/invalid UTF-8/);
    expect(e.position).toBe(3);
  });

  it('does not expand entity bombs (no DTD processing)', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>';
    expect(() => parseXml(enc(bomb))).toThrow(/DOCTYPE is not supported/);
  });
});
