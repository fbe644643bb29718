/** What `h` may set on an element: never HTML, only text and attributes. */
export interface Props {
  class?: string;
  text?: string;
  title?: string;
  /** `data-*` attributes, by name without the prefix. */
  data?: Record<string, string>;
  attrs?: Record<string, string>;
}

/**
 * Creates an element. Everything shown in the demo comes from user input,
 * the worker or the remote, so it is set as text (textContent, text nodes),
 * never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.class !== undefined) element.className = props.class;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.title !== undefined) element.title = props.title;
  for (const [name, value] of Object.entries(props.data ?? {})) element.dataset[name] = value;
  for (const [name, value] of Object.entries(props.attrs ?? {})) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

/** The element with this id; throws if the page lacks it. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is missing from the page`);
  return element as T;
}

/** A receipt number for people: the first 8 characters of the key. */
export function shortKey(key: string): string {
  return `#${key.slice(0, 8)}`;
}

/** A `type="button"` button that runs `onClick`. */
export function button(
  props: Props,
  children: (Node | string)[],
  onClick: () => void,
): HTMLButtonElement {
  const element = h('button', props, children);
  element.type = 'button';
  element.addEventListener('click', onClick);
  return element;
}
