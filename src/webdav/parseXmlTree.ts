// The worker and build tsconfigs include only the entries, so the declaration must be pulled in.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- saxen ships no types
/// <reference path="./saxen.d.ts" />
import { Parser } from 'saxen';

/** An element with its own text (CDATA included, references decoded) and its child elements. */
export interface XmlElement {
  /**
   * `{namespace}localName` in the namespaces the caller named; otherwise saxen's own name for it
   * (`prefix:localName` with a prefix of its choosing, or a bare local name), never of that form.
   */
  readonly name: string;
  readonly text: string;
  readonly children: readonly XmlElement[];
}

interface OpenElement {
  readonly name: string;
  text: string;
  readonly children: XmlElement[];
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * Parses a whole document with saxen, which resolves namespaces through the `xmlns` declarations
 * in scope. Where saxen is lenient by design, this is strict: its warnings (malformed attributes,
 * text outside the root) are errors; attributes are read so that it checks them at all; a second
 * root element, CDATA outside the root and a body without elements are refused; and so is any
 * DTD: saxen skips `<!DOCTYPE …>`, a multistatus never needs one, and without it no entity can
 * expand (no "billion laughs"). Left as saxen has it: references it does not know (`&nbsp;`, a
 * bare `&`) pass as sent, numeric ones above U+FFFF decode wrongly (it uses `fromCharCode`), and
 * names must be ASCII and attributes have no spaces around `=`: valid XML no server we know
 * writes, and refused as a whole answer (`remote-protocol`), never half read.
 *
 * @throws {SyntaxError} on anything that is not a namespace-well-formed document, in saxen's terms.
 */
export function parseXmlTree(xml: string, namespaces: readonly string[]): XmlElement {
  // XML names cannot hold "#", so no document can use these aliases as undeclared prefixes.
  const aliases = new Map(namespaces.map((uri, index) => [`#${index}`, uri]));
  const stack: OpenElement[] = [];
  let root: XmlElement | undefined;
  const parser = new Parser()
    .ns({
      // Bound by definition (Namespaces in XML §3), so `xml:lang` needs no declaration.
      [XML_NAMESPACE]: 'xml',
      ...Object.fromEntries([...aliases].map(([alias, uri]) => [uri, alias])),
    })
    .on('error', (error) => fail(error.message, error))
    .on('warn', (warning) => fail(warning.message, warning))
    .on('attention', () => fail('a DOCTYPE or other markup declaration'))
    .on('openTag', (name, attributes) => {
      // saxen reads attributes lazily; reading them is what makes it report malformed ones.
      attributes();
      const parent = stack.at(-1);
      if (!parent && root) fail(`a second root element <${name}>`);
      const element: OpenElement = { name: clark(name, aliases), text: '', children: [] };
      if (parent) parent.children.push(element);
      else root = element;
      stack.push(element);
    })
    .on('closeTag', () => stack.pop())
    .on('text', (text, decode) => append(stack, decode(text)))
    .on('cdata', (text) => append(stack, text));
  parser.parse(xml);
  return root ?? fail('no root element');
}

/** saxen reports text only inside the root (a warning outside it), but CDATA anywhere. */
function append(stack: readonly OpenElement[], text: string): void {
  const element = stack.at(-1) ?? fail('CDATA outside the root element');
  element.text += text;
}

function clark(name: string, aliases: ReadonlyMap<string, string>): string {
  const colon = name.indexOf(':');
  const namespace = colon < 0 ? undefined : aliases.get(name.slice(0, colon));
  return namespace === undefined ? name : `{${namespace}}${name.slice(colon + 1)}`;
}

function fail(reason: string, cause?: Error): never {
  throw new SyntaxError(reason, cause && { cause });
}
