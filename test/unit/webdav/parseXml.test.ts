import { describe, it, expect } from 'vitest';
import { parseXml } from '../../../src/webdav/parseXml.ts';
import type { XmlElement } from '../../../src/webdav/parseXml.ts';

/** `{namespace}localName`, then the children, for compact expectations. */
function names(element: XmlElement): unknown {
  const name = `{${element.namespace}}${element.localName}`;
  return element.children.length === 0 ? name : [name, ...element.children.map(names)];
}

function syntaxError(xml: string): string {
  try {
    parseXml(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return (error as Error).message;
  }
  throw new Error(`expected a SyntaxError for ${xml}`);
}

describe('parseXml: namespaces', () => {
  it('resolves prefixes and the default namespace through the declarations in scope', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
      <D:multistatus xmlns:D="DAV:" xmlns:d='urn:other'>
        <D:response xmlns="DAV:" xmlns:lp1="DAV:"><href/><lp1:getetag/><d:x/></D:response>
        <response/>
        <xml:lang/>
      </D:multistatus>`;
    expect(names(parseXml(xml))).toEqual([
      '{DAV:}multistatus',
      ['{DAV:}response', '{DAV:}href', '{DAV:}getetag', '{urn:other}x'],
      '{}response',
      '{http://www.w3.org/XML/1998/namespace}lang',
    ]);
  });

  it('lets a child redeclare a prefix or undeclare the default, for its own subtree only', () => {
    const xml = `<a xmlns="urn:1" xmlns:p="urn:p">
      <p:b xmlns:p="urn:q"><p:c/></p:b><p:d/><e xmlns=""><f/></e><g/></a>`;
    expect(names(parseXml(xml))).toEqual([
      '{urn:1}a',
      ['{urn:q}b', '{urn:q}c'],
      '{urn:p}d',
      ['{}e', '{}f'],
      '{urn:1}g',
    ]);
  });

  it('refuses an undeclared prefix, one undeclared with "", and a declaration out of scope', () => {
    expect(syntaxError('<D:multistatus/>')).toBe(
      'undeclared namespace prefix "D" on <D:multistatus>',
    );
    expect(syntaxError('<a xmlns:D=""><D:b/></a>')).toMatch(/undeclared namespace prefix "D"/);
    expect(syntaxError('<a><b xmlns:D="DAV:"/><D:c/></a>')).toMatch(/prefix "D" on <D:c>/);
  });
});

describe('parseXml: text', () => {
  it('keeps text exactly, quotes included, with references decoded', () => {
    const root = parseXml(
      `<r><e>"123"</e><w>W/"x-1"</w><t> a &lt;&gt;&amp;&quot;&apos; &#233;&#x20AC;&#x1F600; </t></r>`,
    );
    expect(root.children.map((child) => child.text)).toEqual([
      '"123"',
      'W/"x-1"',
      ` a <>&"' é€😀 `,
    ]);
  });

  it('keeps CDATA as it is, skips comments and processing instructions', () => {
    const root = parseXml('<r>a<!-- <b>c</b> -->b<?pi x?><![CDATA[<&amp;>]]>c</r>');
    expect(root.text).toBe('ab<&amp;>c');
    expect(root.children).toEqual([]);
  });

  it("holds an element's own text, not its children's", () => {
    const root = parseXml('<r>a<c>b</c>d</r>');
    expect([root.text, root.children[0]?.text]).toEqual(['ad', 'b']);
  });

  it('turns CRLF and CR into LF (XML §2.11)', () => {
    expect(parseXml('<r>a\r\nb\rc</r>').text).toBe('a\nb\nc');
  });

  it('decodes references in xmlns values', () => {
    expect(parseXml('<r xmlns="urn:a&amp;b"/>').namespace).toBe('urn:a&b');
  });
});

describe('parseXml: well-formedness', () => {
  it.each([
    ['an unclosed element', '<a><b></b>', /<a> is never closed/],
    ['a cut-off document', '<D:m xmlns:D="DAV:"><D:r><D:href>/x/</D:hr', /unexpected markup/],
    ['a mismatched end tag', '<a><b></a></b>', /<\/a> at 6 closes no open element/],
    ['a stray end tag', '<a/></a>', /closes no open element/],
    ['two roots', '<a/><b/>', /a second root element/],
    ['text before the root', 'x<a/>', /text outside the root/],
    ['text after the root', '<a/>x', /text outside the root/],
    ['CDATA outside the root', '<a/><![CDATA[ ]]>', /text outside the root/],
    ['no root at all', ' <!-- only a comment --> ', /no root element/],
    ['an empty body', '', /no root element/],
    ['an unquoted attribute', '<a b=c/>', /unexpected markup/],
    ['an attribute without a value', '<a b/>', /unexpected markup/],
    ['a repeated attribute', '<a xmlns:D="DAV:" xmlns:D="urn:x"/>', /given twice/],
    ['"<" in an attribute value', '<a b="<"/>', /unexpected markup/],
    ['a bare "&" in text', '<a>AT&T</a>', /bare "&"/],
    ['an entity XML does not predefine', '<a>&nbsp;</a>', /unknown reference/],
    ['a reference without ";"', '<a>&amp</a>', /unknown reference/],
    ['a bare "&" in an attribute', '<a b="&"/>', /bare "&"/],
    ['an upper-case hex reference', '<a>&#X41;</a>', /unknown reference/],
    ['an unterminated comment', '<a><!-- x</a>', /unexpected markup/],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>', /unexpected markup/],
    ['a "<" in text', '<a>1 < 2</a>', /unexpected markup/],
    ['an HTML doctype', '<!doctype html><title>Wi-Fi</title>', /unexpected markup at 0/],
  ])('refuses %s', (_, xml, message) => {
    expect(syntaxError(xml)).toMatch(message);
  });

  it('refuses a code point outside Unicode', () => {
    expect(() => parseXml('<a>&#x110000;</a>')).toThrow(RangeError);
  });

  it('refuses any DTD, so no entity can expand: the billion-laughs bomb fails at once', () => {
    const entities = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`,
    ).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e0 "lol">${entities}]><m>&e9;</m>`;
    expect(syntaxError(bomb)).toBe('unexpected markup at 21');
    expect(syntaxError('<!DOCTYPE a><a/>')).toMatch(/unexpected markup at 0/);
  });

  it('accepts whitespace inside tags and single-quoted attributes', () => {
    expect(names(parseXml(`<a  xmlns = 'urn:a'\n b="1" ><c\t/></a >`))).toEqual([
      '{urn:a}a',
      '{urn:a}c',
    ]);
  });

  it('can be called again after a failure', () => {
    expect(() => parseXml('<a><b>')).toThrow(SyntaxError);
    expect(names(parseXml('<a/>'))).toBe('{}a');
  });
});

describe('parseXml: hostile sizes', () => {
  it('nests 100,000 levels deep without overflowing the stack', () => {
    const depth = 100_000;
    let element = parseXml(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`);
    for (let level = 1; level < depth; level++) element = element.children[0] ?? element;
    expect(element.text).toBe('x');
  });

  it.each([
    ['an unterminated attribute value', `<a b="${'x'.repeat(1_000_000)}`],
    ['a start tag of many attributes that never ends', `<a${' b="x"'.repeat(100_000)}`],
    ['an unterminated comment', `<a><!--${'-'.repeat(1_000_000)}`],
    ['a million stray ampersands', `<a>${'&'.repeat(1_000_000)}</a>`],
  ])('refuses %s in linear time', (_, xml) => {
    const started = performance.now();
    expect(() => parseXml(xml)).toThrow(SyntaxError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
