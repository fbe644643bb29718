import { describe, it, expect } from 'vitest';
import { parseXmlTree } from '../../../src/webdav/parseXmlTree.ts';
import type { XmlElement } from '../../../src/webdav/parseXmlTree.ts';

const parse = (xml: string) => parseXmlTree(xml, ['DAV:', 'urn:other']);

/** The element's name, then its children's, for compact expectations. */
function names(element: XmlElement): unknown {
  return element.children.length === 0
    ? element.name
    : [element.name, ...element.children.map(names)];
}

function syntaxError(xml: string): string {
  try {
    parse(xml);
  } catch (error) {
    expect(error).toBeInstanceOf(SyntaxError);
    return (error as Error).message;
  }
  throw new Error(`expected a SyntaxError for ${xml}`);
}

describe('parseXmlTree: namespaces', () => {
  it('names elements of the namespaces asked for {namespace}localName, whatever the prefix', () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
      <D:multistatus xmlns:D="DAV:" xmlns:d='urn:other' xmlns:ns0="DAV:">
        <D:response xmlns="DAV:" xmlns:lp1="DAV:"><href/><lp1:getetag/><d:x/><ns0:y/></D:response>
        <response xml:lang="en"/>
      </D:multistatus>`;
    expect(names(parse(xml))).toEqual([
      '{DAV:}multistatus',
      ['{DAV:}response', '{DAV:}href', '{DAV:}getetag', '{urn:other}x', '{DAV:}y'],
      'response',
    ]);
  });

  it('lets a child redeclare a prefix or undeclare the default, for its own subtree only', () => {
    const xml = `<a xmlns="DAV:" xmlns:p="urn:p">
      <p:b xmlns:p="urn:other"><p:c/></p:b><p:d/><e xmlns=""><f/></e><g/></a>`;
    const [a, b, d, e, g] = names(parse(xml)) as unknown[];
    expect([a, b, g]).toEqual(['{DAV:}a', ['{urn:other}b', '{urn:other}c'], '{DAV:}g']);
    // Outside the namespaces asked for, saxen picks the names; they never look like ours.
    expect(JSON.stringify([d, e])).not.toMatch(/\{/);
  });

  it('refuses an undeclared prefix, on an element or an attribute, and one out of scope', () => {
    expect(syntaxError('<D:multistatus/>')).toBe('missing namespace on <D:multistatus>');
    expect(syntaxError('<a p:x="1"/>')).toBe('missing namespace for prefix <p>');
    expect(syntaxError('<a><b xmlns:D="DAV:"/><D:c/></a>')).toBe('missing namespace on <D:c>');
  });

  it('keeps a foreign namespace apart, even under the prefix D', () => {
    const xml = '<x:m xmlns:x="DAV:"><D:href xmlns:D="urn:not-dav"/><x:href/></x:m>';
    expect(names(parse(xml))).toEqual(['{DAV:}m', 'D:href', '{DAV:}href']);
  });
});

describe('parseXmlTree: text', () => {
  it('keeps text exactly, quotes included, with references decoded', () => {
    const root = parse(
      `<r><e>"123"</e><w>W/"x-1"</w><t> a &lt;&gt;&amp;&quot;&apos; &#233;&#x20AC; </t></r>`,
    );
    expect(root.children.map((child) => child.text)).toEqual(['"123"', 'W/"x-1"', ` a <>&"' é€ `]);
  });

  it('keeps CDATA as it is, skips comments and processing instructions', () => {
    const root = parse('<r>a<!-- <b>c</b> -->b<?pi x?><![CDATA[<&amp;>]]>c</r>');
    expect(root.text).toBe('ab<&amp;>c');
    expect(root.children).toEqual([]);
  });

  it("holds an element's own text, not its children's", () => {
    const root = parse('<r>a<c>b</c>d</r>');
    expect([root.text, root.children[0]?.text]).toEqual(['ad', 'b']);
  });

  it('passes on, as sent, the references saxen does not check', () => {
    // No field of a multistatus needs them; refusing would take a check of our own.
    expect(parse('<a>AT&T &nbsp;</a>').text).toBe('AT&T &nbsp;');
  });
});

describe('parseXmlTree: well-formedness', () => {
  it.each([
    ['an unclosed element', '<a><b></b>', /unexpected end of file/],
    ['a cut-off document', '<D:m xmlns:D="DAV:"><D:r><D:href>/x/</D:hr', /unclosed tag/],
    ['a mismatched end tag', '<a><b></a></b>', /closing tag mismatch/],
    ['an end tag longer than its start tag', '<a></ab>', /close tag/],
    ['a stray end tag', '<a/></a>', /missing open tag/],
    ['two roots', '<a/><b/>', /a second root element <b>/],
    ['text before the root', 'x<a/>', /non-whitespace outside of root node/],
    ['text after the root', '<a/>x', /non-whitespace outside of root node/],
    ['CDATA outside the root', '<a/><![CDATA[ ]]>', /CDATA outside the root/],
    ['no root at all', ' <!-- only a comment --> ', /no root element/],
    ['an empty body', '', /missing start tag/],
    ['an unquoted attribute', '<a b=c/>', /missing attribute value quotes/],
    ['an attribute without a value', '<a b c="1"/>', /missing attribute value/],
    ['mismatched attribute quotes', `<a b="1'/>`, /quote missmatch/],
    ['attributes without space between', '<a b="1"c="2"/>', /illegal character after/],
    ['a repeated attribute', '<a xmlns:D="DAV:" xmlns:D="urn:x"/>', /already defined/],
    ['the xml prefix bound elsewhere', '<a xmlns:xml="urn:x"/>', /illegal value of xmlns:xml/],
    ['an unterminated comment', '<a><!-- x</a>', /unclosed comment/],
    ['an unterminated CDATA section', '<a><![CDATA[x</a>', /unclosed cdata/],
    ['a "<" in text', '<a>1 < 2</a>', /illegal first char nodeName/],
    ['an HTML doctype', '<!doctype html><title>Wi-Fi</title>', /a DOCTYPE/],
    // Well-formed, but beyond saxen: refusing beats misreading, and no server writes these.
    ['spaces around "=" in an attribute', `<a xmlns = "DAV:"/>`, /missing attribute value/],
    ['a non-ASCII element name', '<é/>', /illegal first char nodeName/],
  ])('refuses %s', (_, xml, message) => {
    expect(syntaxError(xml)).toMatch(message);
  });

  it("keeps saxen's own error as the cause", () => {
    expect(() => parse('<a>')).toThrow(
      expect.objectContaining({ cause: expect.any(Error) as unknown }),
    );
  });

  it('refuses any DTD, so no entity can expand: the billion-laughs bomb fails at once', () => {
    const entities = Array.from(
      { length: 9 },
      (_, i) => `<!ENTITY e${i + 1} "${`&e${i};`.repeat(10)}">`,
    ).join('');
    const bomb = `<?xml version="1.0"?><!DOCTYPE m [<!ENTITY e0 "lol">${entities}]><m>&e9;</m>`;
    expect(syntaxError(bomb)).toBe('a DOCTYPE or other markup declaration');
    expect(syntaxError('<!DOCTYPE a><a/>')).toMatch(/a DOCTYPE/);
  });

  it('accepts whitespace inside tags, single-quoted attributes and xml:lang', () => {
    expect(names(parse(`<a xmlns='DAV:'\n b="1" xml:lang="en" ><c\t/></a >`))).toEqual([
      '{DAV:}a',
      '{DAV:}c',
    ]);
  });

  it('can be called again after a failure', () => {
    expect(() => parse('<D:a xmlns:D="DAV:"><b>')).toThrow(SyntaxError);
    expect(names(parse('<a/>'))).toBe('a');
  });
});

describe('parseXmlTree: hostile sizes', () => {
  it('nests 100,000 levels deep without overflowing the stack', () => {
    const depth = 100_000;
    let element = parse(`${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}`);
    for (let level = 1; level < depth; level++) element = element.children[0] ?? element;
    expect(element.text).toBe('x');
  });

  it.each([
    ['an unterminated attribute value', `<a b="${'x'.repeat(1_000_000)}`],
    ['a start tag of many attributes that never ends', `<a${' b="x"'.repeat(100_000)}`],
    ['an unterminated comment', `<a><!--${'-'.repeat(1_000_000)}`],
    ['a start tag of a million quotes that never ends', `<a ${`"`.repeat(1_000_001)}`],
  ])('refuses %s in linear time', (_, xml) => {
    const started = performance.now();
    expect(() => parse(xml)).toThrow(SyntaxError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});
