/** An element named by namespace URI and local name, the way XML Namespaces define it. */
export interface XmlElement {
  readonly namespace: string;
  readonly localName: string;
  /** The element's own text and CDATA, references decoded (not that of its children). */
  readonly text: string;
  readonly children: readonly XmlElement[];
}

interface Open {
  readonly name: string;
  readonly scope: ReadonlyMap<string, string>;
  readonly element: { text: string; children: XmlElement[] };
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
const name = `[^\\s"'/<=>&!?]+`;
// One token at a time (sticky): comment, processing instruction, CDATA, end tag, start tag with
// quoted attributes, or text. Anything else, a DOCTYPE included, is refused: multistatus
// answers never need a DTD, and without one no entity can expand (no "billion laughs").
const token = new RegExp(
  `<!--[\\s\\S]*?-->|<\\?[\\s\\S]*?\\?>|<!\\[CDATA\\[([\\s\\S]*?)\\]\\]>|</(${name})\\s*>|<(${name})((?:\\s+${name}\\s*=\\s*(?:"[^"<]*"|'[^'<]*'))*)\\s*(/?)>|([^<]+)`,
  'y',
);
const attribute = new RegExp(`(${name})\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, 'g');
const predefined: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/**
 * Parses a whole XML document into its root element, resolving each element's prefix through
 * the `xmlns` declarations in scope: servers write `DAV:` as `D:`, `d:`, `lp1:` or the default
 * namespace. Strict where it matters for a multistatus: tags must nest and match, text may not
 * stand outside the root, `&` must start one of XML's predefined or numeric references, and
 * DTDs are refused. Comments and processing instructions are skipped; attributes other than
 * `xmlns` are checked but not kept. Iterative, so deep nesting cannot overflow the stack.
 *
 * @throws {SyntaxError} on anything that is not a namespace-well-formed document of that kind.
 */
export function parseXml(source: string): XmlElement {
  // XML §2.11: line ends reach the application as \n.
  const xml = source.replace(/\r\n?/g, '\n');
  const stack: Open[] = [];
  let root: XmlElement | undefined;
  token.lastIndex = 0;
  while (token.lastIndex < xml.length) {
    const at = token.lastIndex;
    const match = token.exec(xml) ?? fail(`unexpected markup at ${at}`);
    const [, cdata, end, start, attributes = '', empty, text] = match;
    const parent = stack.at(-1);
    if (start !== undefined) {
      if (!parent && root) fail(`a second root element at ${at}`);
      const scope = declare(parent?.scope ?? new Map([['xml', XML_NAMESPACE]]), attributes);
      const colon = start.indexOf(':');
      const prefix = colon < 0 ? '' : start.slice(0, colon);
      const namespace = scope.get(prefix) ?? '';
      if (prefix && !namespace) fail(`undeclared namespace prefix "${prefix}" on <${start}>`);
      const element = {
        namespace,
        localName: start.slice(colon + 1),
        text: '',
        children: [] as XmlElement[],
      };
      if (parent) parent.element.children.push(element);
      else root = element;
      if (!empty) stack.push({ name: start, scope, element });
    } else if (end !== undefined) {
      if (stack.pop()?.name !== end) fail(`</${end}> at ${at} closes no open element`);
    } else {
      const value = cdata ?? decode(text ?? '');
      if (parent) parent.element.text += value;
      else if (cdata !== undefined || value.trim()) fail(`text outside the root element at ${at}`);
    }
  }
  if (stack.length > 0) fail(`<${stack.at(-1)?.name}> is never closed`);
  return root ?? fail('no root element');
}

/** The scope inside a start tag: its parent's, plus the tag's own `xmlns` declarations. */
function declare(
  inScope: ReadonlyMap<string, string>,
  attributes: string,
): ReadonlyMap<string, string> {
  const seen = new Set<string>();
  let scope: Map<string, string> | undefined;
  for (const [, attributeName = '', double, single] of attributes.matchAll(attribute)) {
    if (seen.has(attributeName)) fail(`attribute ${attributeName} given twice`);
    seen.add(attributeName);
    const value = decode(double ?? single ?? '');
    if (attributeName === 'xmlns' || attributeName.startsWith('xmlns:')) {
      scope ??= new Map(inScope);
      scope.set(attributeName.slice(6), value);
    }
  }
  return scope ?? inScope;
}

/** Decodes XML's five predefined and numeric character references; any other `&` is an error. */
function decode(text: string): string {
  return text.replace(
    /&(?:(lt|gt|amp|quot|apos)|#(\d+|x[\da-fA-F]+));|&/g,
    (_reference, entity?: string, code?: string) =>
      entity
        ? (predefined[entity] ?? '')
        : code
          ? String.fromCodePoint(Number(`0${code}`))
          : fail(`a bare "&" or an unknown reference`),
  );
}

function fail(reason: string): never {
  throw new SyntaxError(reason);
}
