// saxen ships no types: this declares the part of its API (v11) that parseXmlTree uses.
declare module 'saxen' {
  type Decode = (text: string) => string;

  export class Parser {
    /** Turns namespace awareness on; names in these namespaces (URI → alias) get the alias as prefix. */
    ns(uriToAlias: Readonly<Record<string, string>>): this;
    on(
      event: 'openTag',
      handler: (name: string, attributes: () => Record<string, string>) => void,
    ): this;
    on(event: 'closeTag', handler: () => void): this;
    on(event: 'text', handler: (text: string, decode: Decode) => void): this;
    on(event: 'cdata', handler: (text: string) => void): this;
    /** `error`: saxen stops there; `warn`: a recoverable fault, e.g. a malformed attribute. */
    on(event: 'error' | 'warn', handler: (error: Error) => void): this;
    /** `<!…>` other than a comment or CDATA, e.g. a DOCTYPE. */
    on(event: 'attention', handler: (declaration: string) => void): this;
    parse(xml: string): Error | null;
  }
}
