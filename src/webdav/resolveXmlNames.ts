import { XmlElement } from '@rgrove/parse-xml';
import { MultistatusParseError } from './MultistatusParseError.ts';

/** An element named by namespace URI and local name, the way XML Namespaces define it. */
export interface NamedElement {
  readonly namespace: string;
  readonly localName: string;
  readonly text: string;
  readonly children: readonly NamedElement[];
}

const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * Resolves prefixes through the `xmlns` declarations in scope (parse-xml keeps names as
 * written): servers write `DAV:` as `D:`, `d:`, `lp1:` or the default namespace.
 */
export function resolveXmlNames(
  element: XmlElement,
  inScope: ReadonlyMap<string, string> = new Map([['xml', XML_NAMESPACE]]),
): NamedElement {
  const declared = Object.entries(element.attributes)
    .filter(([attribute]) => attribute === 'xmlns' || attribute.startsWith('xmlns:'))
    .map(([attribute, uri]) => [attribute.slice(6), uri] as const);
  const scope = declared.length === 0 ? inScope : new Map([...inScope, ...declared]);
  const colon = element.name.indexOf(':');
  const prefix = colon < 0 ? '' : element.name.slice(0, colon);
  const namespace = scope.get(prefix);
  if (namespace === undefined && prefix !== '') {
    throw new MultistatusParseError(`undeclared namespace prefix "${prefix}" on <${element.name}>`);
  }
  return {
    namespace: namespace ?? '',
    localName: element.name.slice(colon + 1),
    text: element.text,
    children: element.children
      .filter((child): child is XmlElement => child instanceof XmlElement)
      .map((child) => resolveXmlNames(child, scope)),
  };
}
