/**
 * A text to match as Playwright's locators do: a string matches a
 * case-insensitive substring of the whitespace-normalized text, or with
 * `exact` the whole normalized text, case-sensitively; a RegExp is tested
 * against the normalized text.
 */
export interface TextQuery {
  string?: string;
  regexSource?: string;
  regexFlags?: string;
  exact?: boolean;
}

/** One step of a locator, applied to the elements the steps before it meant (at first, the document). */
export type Step =
  /** Elements matching a CSS selector inside each. */
  | { kind: 'css'; selector: string }
  /** Those whose text matches (or, with `not`, does not). */
  | { kind: 'hasText'; text: TextQuery; not: boolean }
  /** Elements inside each with this ARIA role and, if given, an accessible name that matches. */
  | { kind: 'role'; role: string; name: TextQuery | undefined; includeHidden: boolean }
  /** The smallest elements inside each whose text matches (`getByText`). */
  | { kind: 'text'; text: TextQuery }
  /** One of them by index (negative counts from the end). */
  | { kind: 'nth'; index: number };

/** Which elements a locator means. */
export interface Target {
  steps: Step[];
}

/** A RegExp or string as a TextQuery. */
export function textQuery(text: string | RegExp, exact = false): TextQuery {
  return typeof text === 'string'
    ? { string: text, exact }
    : { regexSource: text.source, regexFlags: text.flags };
}

/** What the page reports about a locator in one round trip. */
export interface ElementSnapshot {
  count: number;
  /** The first element meant; absent when nothing matches. Reads of one element also need `count` to be 1. */
  element:
    | {
        textContent: string;
        innerText: string;
        visible: boolean;
        value: string | null;
        checked: boolean | null;
        disabled: boolean;
        attribute: string | null;
      }
    | undefined;
  /** Every element's text (textContent, or innerText with `useInnerText`), for the array matchers and `allTextContents`. */
  texts: string[] | undefined;
}

/**
 * Runs in the page (shipped by source, so everything it uses is inside it):
 * the elements `target` means, in document order.
 */
export function resolveInPage(target: Target): Element[] {
  const normalize = (text: string): string =>
    text
      .trim()
      .replace(/\u200B/g, '')
      .replace(/\s+/g, ' ');
  // Playwright's element text: text nodes, skipping scripts, styles and <head>; button inputs show their value.
  const textOf = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.nodeValue ?? '';
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const element = node as Element;
    if (['SCRIPT', 'NOSCRIPT', 'STYLE', 'HEAD'].includes(element.nodeName)) return '';
    if (
      element instanceof HTMLInputElement &&
      ['button', 'submit', 'reset'].includes(element.type)
    ) {
      return element.value;
    }
    let text = '';
    for (const child of Array.from(element.childNodes)) text += textOf(child);
    return text;
  };
  const matcher = (query: TextQuery): ((text: string) => boolean) => {
    if (query.regexSource !== undefined) {
      const pattern = new RegExp(query.regexSource, query.regexFlags ?? '');
      return (text) => {
        pattern.lastIndex = 0;
        return pattern.test(normalize(text));
      };
    }
    const wanted = normalize(query.string ?? '');
    if (query.exact) return (text) => normalize(text) === wanted;
    const lower = wanted.toLowerCase();
    return (text) => normalize(text).toLowerCase().includes(lower);
  };
  const hiddenForAria = (element: Element): boolean => {
    for (let at: Element | null = element; at !== null; at = at.parentElement) {
      if (at.getAttribute('aria-hidden') === 'true') return true;
      if (getComputedStyle(at).display === 'none') return true;
    }
    return getComputedStyle(element).visibility !== 'visible';
  };
  const roleOf = (element: Element): string => {
    const explicit = (element.getAttribute('role') ?? '').trim().split(/\s+/)[0];
    if (explicit) return explicit;
    const tag = element.localName;
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (element instanceof HTMLInputElement) {
      const type = element.type;
      if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
      if (type === 'checkbox') return 'checkbox';
      if (type === 'radio') return 'radio';
      if (type === 'range') return 'slider';
      if (type === 'number') return 'spinbutton';
      if (type === 'hidden') return '';
      if (element.hasAttribute('list')) return 'combobox';
      return type === 'search' ? 'searchbox' : 'textbox';
    }
    const implicit: Record<string, string> = {
      button: 'button',
      textarea: 'textbox',
      option: 'option',
      ul: 'list',
      ol: 'list',
      menu: 'list',
      li: 'listitem',
      nav: 'navigation',
      main: 'main',
      article: 'article',
      aside: 'complementary',
      dialog: 'dialog',
      fieldset: 'group',
      table: 'table',
      tr: 'row',
      td: 'cell',
      th: 'columnheader',
      p: 'paragraph',
      dt: 'term',
      dd: 'definition',
      hr: 'separator',
      progress: 'progressbar',
      form: 'form',
      code: 'code',
    };
    if (tag === 'a' || tag === 'area') return element.hasAttribute('href') ? 'link' : '';
    if (tag === 'select') {
      const select = element as HTMLSelectElement;
      return select.multiple || select.size > 1 ? 'listbox' : 'combobox';
    }
    if (tag === 'img') return element.getAttribute('alt') === '' ? 'presentation' : 'img';
    if (tag === 'section') {
      return element.hasAttribute('aria-label') || element.hasAttribute('aria-labelledby')
        ? 'region'
        : '';
    }
    return implicit[tag] ?? '';
  };
  const nameFromContent = new Set([
    'button',
    'link',
    'heading',
    'checkbox',
    'radio',
    'switch',
    'tab',
    'menuitem',
    'menuitemcheckbox',
    'menuitemradio',
    'option',
    'cell',
    'columnheader',
    'rowheader',
    'row',
    'treeitem',
    'tooltip',
  ]);
  const nameOf = (element: Element, role: string): string => {
    const labelledBy = (element.getAttribute('aria-labelledby') ?? '').split(/\s+/);
    const labels = labelledBy
      .map((id) => (id === '' ? null : document.getElementById(id)))
      .filter((label): label is HTMLElement => label !== null);
    if (labels.length > 0) return normalize(labels.map((label) => textOf(label)).join(' '));
    const ariaLabel = normalize(element.getAttribute('aria-label') ?? '');
    if (ariaLabel !== '') return ariaLabel;
    if (element instanceof HTMLInputElement) {
      if (['button', 'submit', 'reset'].includes(element.type)) {
        const fallback = { submit: 'Submit', reset: 'Reset' }[element.type as 'submit'] ?? '';
        return normalize(element.value || fallback);
      }
      if (element.type === 'image') return normalize(element.alt || 'Submit');
    }
    const controlLabels = (element as Partial<HTMLInputElement>).labels;
    if (controlLabels && controlLabels.length > 0) {
      return normalize(
        Array.from(controlLabels)
          .map((label) => textOf(label))
          .join(' '),
      );
    }
    if (element instanceof HTMLImageElement) return normalize(element.alt);
    if (nameFromContent.has(role)) {
      const content = normalize(textOf(element));
      if (content !== '') return content;
    }
    return normalize(element.getAttribute('title') ?? element.getAttribute('placeholder') ?? '');
  };
  const inOrder = (elements: Element[]): Element[] =>
    Array.from(new Set(elements)).sort((a, b) =>
      a === b ? 0 : a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1,
    );

  let scopes: (Document | Element)[] = [document];
  for (const step of target.steps) {
    const elements = scopes.filter((scope): scope is Element => scope instanceof Element);
    const inside = (css: string): Element[] => {
      const found = scopes.flatMap((scope) => Array.from(scope.querySelectorAll(css)));
      return scopes.length > 1 ? inOrder(found) : found;
    };
    switch (step.kind) {
      case 'css':
        scopes = inside(step.selector);
        break;
      case 'hasText': {
        const matches = matcher(step.text);
        scopes = elements.filter((element) => matches(textOf(element)) !== step.not);
        break;
      }
      case 'role': {
        const name = step.name === undefined ? undefined : matcher(step.name);
        scopes = inside('*').filter((element) => {
          const role = roleOf(element);
          if (role !== step.role) return false;
          if (!step.includeHidden && hiddenForAria(element)) return false;
          return name === undefined || name(nameOf(element, role));
        });
        break;
      }
      case 'text': {
        const matches = matcher(step.text);
        scopes = inside('*').filter(
          (element) =>
            matches(textOf(element)) &&
            !Array.from(element.children).some((child) => matches(textOf(child))),
        );
        break;
      }
      case 'nth': {
        const one = step.index < 0 ? elements[elements.length + step.index] : elements[step.index];
        scopes = one === undefined ? [] : [one];
        break;
      }
    }
  }
  return scopes.filter((scope): scope is Element => scope instanceof Element);
}

/**
 * Runs in the page: describes what `target` means. Visible means what
 * Playwright means: a non-empty box and not `visibility: hidden`.
 */
export function snapshotInPage(
  {
    target,
    attribute,
    texts,
  }: { target: Target; attribute: string | null; texts: 'textContent' | 'innerText' | null },
  resolve: (target: Target) => Element[],
): ElementSnapshot {
  const all = resolve(target);
  const innerText = (element: Element): string =>
    element instanceof HTMLElement ? element.innerText : (element.textContent ?? '');
  const allTexts =
    texts === null
      ? undefined
      : all.map((element) =>
          texts === 'innerText' ? innerText(element) : (element.textContent ?? ''),
        );
  const element = all[0];
  if (element === undefined) return { count: 0, element: undefined, texts: allTexts };
  const box = element.getBoundingClientRect();
  const style = getComputedStyle(element);
  const control = element as Partial<HTMLInputElement>;
  return {
    count: all.length,
    element: {
      textContent: element.textContent ?? '',
      innerText: innerText(element),
      visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
      value: typeof control.value === 'string' ? control.value : null,
      checked: typeof control.checked === 'boolean' ? control.checked : null,
      disabled: control.disabled === true || element.getAttribute('aria-disabled') === 'true',
      attribute: attribute === null ? null : element.getAttribute(attribute),
    },
    texts: allTexts,
  };
}

/** Runs in the page: sets a form control's value as typing would end, for listeners of `input` and `change`. */
export function fillInPage(
  { target, value }: { target: Target; value: string },
  resolve: (target: Target) => Element[],
): void {
  const element = resolve(target)[0];
  if (!(element instanceof HTMLInputElement || element instanceof HTMLTextAreaElement)) {
    throw new Error('fill: the element is not an <input> or <textarea>');
  }
  element.focus();
  // The prototype's setter, so frameworks that wrap `value` still see the change.
  Reflect.set(Object.getPrototypeOf(element) as object, 'value', value, element);
  element.dispatchEvent(new Event('input', { bubbles: true }));
  element.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The locator as Playwright prints it, such as `locator('#a').filter({ hasText: 'b' }).first()`. */
export function describeTarget(target: Target): string {
  const text = (query: TextQuery): string =>
    query.regexSource === undefined
      ? `'${query.string ?? ''}'`
      : `/${query.regexSource}/${query.regexFlags ?? ''}`;
  return target.steps
    .map((step, at) => {
      const dot = at === 0 ? '' : '.';
      switch (step.kind) {
        case 'css':
          return `${dot}locator('${step.selector}')`;
        case 'hasText':
          return `.filter({ ${step.not ? 'hasNotText' : 'hasText'}: ${text(step.text)} })`;
        case 'role':
          return `${dot}getByRole('${step.role}'${step.name ? `, { name: ${text(step.name)}${step.name.exact ? ', exact: true' : ''} }` : ''})`;
        case 'text':
          return `${dot}getByText(${text(step.text)}${step.text.exact ? ', { exact: true }' : ''})`;
        case 'nth':
          return step.index === 0
            ? '.first()'
            : step.index === -1
              ? '.last()'
              : `.nth(${step.index})`;
      }
    })
    .join('');
}

/** The locator in Playwright's selector syntax, which its matchers parse to title their steps. */
export function selectorOf(target: Target): string {
  const text = (query: TextQuery): string =>
    query.regexSource === undefined
      ? `${JSON.stringify(query.string ?? '')}${query.exact ? 's' : 'i'}`
      : `/${query.regexSource}/${query.regexFlags ?? ''}`;
  return target.steps
    .map((step) => {
      switch (step.kind) {
        case 'css':
          return step.selector;
        case 'hasText':
          return `internal:${step.not ? 'has-not-text' : 'has-text'}=${text(step.text)}`;
        case 'role':
          return `internal:role=${step.role}${step.name ? `[name=${text(step.name)}]` : ''}`;
        case 'text':
          return `internal:text=${text(step.text)}`;
        case 'nth':
          return `nth=${step.index}`;
      }
    })
    .join(' >> ');
}

/** Playwright refuses to act on, or read from, a locator that means several elements. */
export function strictViolation(target: Target, count: number): Error | undefined {
  if (count <= 1) return undefined;
  return new Error(
    `strict mode violation: ${describeTarget(target)} resolved to ${count} elements`,
  );
}
