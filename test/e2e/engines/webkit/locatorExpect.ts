import type { ElementSnapshot } from './elementQuery.ts';

/** One expected text as Playwright's matchers serialize it for `locator._expect`. */
export interface ExpectedText {
  string?: string;
  regexSource?: string;
  regexFlags?: string;
  matchSubstring?: boolean;
  ignoreCase?: boolean;
  normalizeWhiteSpace?: boolean;
}

/** The options Playwright's matchers pass to `locator._expect`. */
export interface ExpectOptions {
  expectedText?: ExpectedText[];
  expectedNumber?: number;
  expectedValue?: unknown;
  expressionArg?: unknown;
  useInnerText?: boolean;
  isNot: boolean;
  timeout?: number;
}

/** What `locator._expect` resolves to; Playwright's matchers format their messages from it. */
export interface ExpectResult {
  matches: boolean;
  received?: { value: unknown };
  log: string[];
  timedOut?: boolean;
}

/** The expressions this adapter understands; the rest of Playwright's matchers throw. */
const supported = new Set([
  'to.have.text',
  'to.be.visible',
  'to.be.hidden',
  'to.be.attached',
  'to.be.detached',
  'to.have.count',
  'to.have.attribute',
  'to.have.attribute.value',
  'to.have.value',
  'to.be.checked',
  'to.be.enabled',
  'to.be.disabled',
  'to.have.text.array',
  'to.contain.text.array',
]);

export function isSupported(expression: string): boolean {
  return supported.has(expression);
}

/** The attribute an expression needs the page to read, if any. */
export function attributeOf(expression: string, options: ExpectOptions): string | null {
  return expression.startsWith('to.have.attribute') ? String(options.expressionArg) : null;
}

/** Which text of every element an expression needs, if it needs them all (the array matchers). */
export function textsOf(
  expression: string,
  options: ExpectOptions,
): 'textContent' | 'innerText' | null {
  if (!expression.endsWith('.text.array')) return null;
  return options.useInnerText ? 'innerText' : 'textContent';
}

/** Decides one poll of an expectation from what the page reported. */
export function judge(
  expression: string,
  options: ExpectOptions,
  snapshot: ElementSnapshot,
): { matches: boolean; received: unknown } {
  const element = snapshot.element;
  switch (expression) {
    case 'to.have.text': {
      const text = element && (options.useInnerText ? element.innerText : element.textContent);
      return { matches: text !== undefined && textMatches(options, text), received: text };
    }
    case 'to.have.text.array': {
      const texts = snapshot.texts ?? [];
      const expected = options.expectedText ?? [];
      const matches =
        texts.length === expected.length &&
        expected.every((one, at) => matchesOne(one, texts[at] ?? ''));
      return { matches, received: texts };
    }
    case 'to.contain.text.array': {
      // Each expected text matches an element after the one the previous matched, as in Playwright.
      const texts = snapshot.texts ?? [];
      let at = 0;
      const matches = (options.expectedText ?? []).every((one) => {
        while (at < texts.length && !matchesOne(one, texts[at] ?? '')) at++;
        return at++ < texts.length;
      });
      return { matches, received: texts };
    }
    case 'to.be.visible':
      return {
        matches: element?.visible === true,
        received: element?.visible ? 'visible' : 'hidden',
      };
    case 'to.be.hidden':
      return {
        matches: element?.visible !== true,
        received: element?.visible ? 'visible' : 'hidden',
      };
    case 'to.be.attached':
      return { matches: element !== undefined, received: element ? 'attached' : 'detached' };
    case 'to.be.detached':
      return { matches: element === undefined, received: element ? 'attached' : 'detached' };
    case 'to.have.count':
      return { matches: snapshot.count === options.expectedNumber, received: snapshot.count };
    case 'to.have.attribute':
      return { matches: element?.attribute != null, received: element?.attribute != null };
    case 'to.have.attribute.value': {
      const value = element?.attribute ?? undefined;
      return { matches: value !== undefined && textMatches(options, value), received: value };
    }
    case 'to.have.value': {
      const value = element?.value ?? undefined;
      return { matches: value !== undefined && textMatches(options, value), received: value };
    }
    case 'to.be.checked': {
      const wanted = (options.expectedValue as { checked?: boolean } | undefined)?.checked ?? true;
      const checked = element?.checked ?? undefined;
      return { matches: checked === wanted, received: checked ? 'checked' : 'unchecked' };
    }
    case 'to.be.enabled':
      return {
        matches: element?.disabled === false,
        received: element?.disabled ? 'disabled' : 'enabled',
      };
    case 'to.be.disabled':
      return {
        matches: element?.disabled === true,
        received: element?.disabled ? 'disabled' : 'enabled',
      };
    default:
      throw new Error(
        `expect(locator) ${expression} is not available in WebKitGTK through WebDriver`,
      );
  }
}

/** Playwright's ExpectedTextMatcher: whitespace and case normalization, substring or regex. */
function textMatches(options: ExpectOptions, received: string): boolean {
  const expected = options.expectedText?.[0];
  return expected !== undefined && matchesOne(expected, received);
}

function matchesOne(expected: ExpectedText, received: string): boolean {
  const normalize = (text: string): string => {
    let result = text;
    if (expected.normalizeWhiteSpace)
      result = result
        .trim()
        .replace(/\u200B/g, '')
        .replace(/\s+/g, ' ');
    if (expected.ignoreCase) result = result.toLocaleLowerCase();
    return result;
  };
  if (expected.regexSource !== undefined) {
    let flags = expected.regexFlags ?? '';
    if (expected.ignoreCase && !flags.includes('i')) flags += 'i';
    return new RegExp(expected.regexSource, flags).test(received);
  }
  const text = normalize(received);
  const wanted = normalize(expected.string ?? '');
  return expected.matchSubstring ? text.includes(wanted) : text === wanted;
}
