import type { WebDriver, WebElement } from 'selenium-webdriver';
import {
  describeTarget,
  fillInPage,
  resolveInPage,
  selectorOf,
  snapshotInPage,
  strictViolation,
  textQuery,
  type ElementSnapshot,
  type Step,
  type Target,
} from './elementQuery.ts';
import {
  attributeOf,
  isSupported,
  judge,
  textsOf,
  type ExpectOptions,
  type ExpectResult,
} from './locatorExpect.ts';
import { functionExpression } from './pageScript.ts';
import { pollIntervalMs, pollUntil, sleep } from './poll.ts';
import { unavailableElsewhere } from './unavailable.ts';

/** What a locator needs from its page. */
export interface LocatorHost {
  /** The page object specs hold (the guarded proxy). */
  readonly facade: object;
  /** Evaluates an expression that may use `arg` (sent as JSON), as `page.evaluate` does. */
  evaluateCode<R>(code: string, arg: unknown): Promise<R>;
  inWindow<T>(job: (driver: WebDriver) => Promise<T>): Promise<T>;
}

/** The options of `page.locator`, `locator.locator` and `locator.filter` this adapter knows. */
export interface LocatorOptions {
  hasText?: string | RegExp;
  hasNotText?: string | RegExp;
}

/** The options of `getByRole` this adapter knows. */
export interface RoleOptions {
  name?: string | RegExp;
  exact?: boolean;
  includeHidden?: boolean;
}

/** Playwright's default for actions is "no timeout"; a hung locator should fail a test well before its own timeout. */
const actionTimeoutMs = 30_000;

/** A page function applied to the resolver, as an expression over `arg`. */
const withResolver = (fn: (arg: never, resolve: typeof resolveInPage) => unknown): string =>
  `${functionExpression(fn)}(arg, ${functionExpression(resolveInPage)})`;

let compiled: { snapshot: string; fill: string; probe: string } | undefined;

/** The page scripts, compiled once (checking how to ship a function parses it). */
function scripts(): { snapshot: string; fill: string; probe: string } {
  compiled ??= {
    snapshot: withResolver(snapshotInPage),
    fill: withResolver(fillInPage),
    // For a click: the first element itself (WebDriver sends it back as a reference), and whether it can take one.
    probe: `const found = ${functionExpression(resolveInPage)}(JSON.parse(arguments[0]));
const element = found[0];
if (element === undefined) return { count: 0, element: null, ready: false };
const box = element.getBoundingClientRect();
const visible = box.width > 0 && box.height > 0 && getComputedStyle(element).visibility !== 'hidden';
const disabled = element.disabled === true || element.getAttribute('aria-disabled') === 'true';
return { count: found.length, element, ready: visible && !disabled };`,
  };
  return compiled;
}

/** Options for a text step from a Playwright `hasText`-style option. */
function filterSteps(options: LocatorOptions): Step[] {
  const steps: Step[] = [];
  if (options.hasText !== undefined) {
    steps.push({ kind: 'hasText', text: textQuery(options.hasText), not: false });
  }
  if (options.hasNotText !== undefined) {
    steps.push({ kind: 'hasText', text: textQuery(options.hasNotText), not: true });
  }
  const unknown = Object.keys(options).filter((key) => key !== 'hasText' && key !== 'hasNotText');
  if (unknown.length > 0) {
    throw new Error(
      `locator option ${unknown.join(', ')} is not available in WebKitGTK through WebDriver`,
    );
  }
  return steps;
}

/**
 * A locator as a chain of steps (CSS, text filters, roles, texts, indexes)
 * that the page resolves on every use, as Playwright's locators do.
 * `_apiName` and `_expect` are what Playwright's `expect(locator)` matchers
 * call, so `toHaveText`, `toBeVisible`, `toHaveCount`, `toHaveAttribute`…
 * work with their usual messages.
 */
export class WebKitLocator {
  readonly _apiName = 'Locator';

  constructor(
    private readonly host: LocatorHost,
    private readonly target: Target,
  ) {}

  /** Read by Playwright's matchers to title their steps. */
  get _selector(): string {
    return selectorOf(this.target);
  }

  toString(): string {
    return describeTarget(this.target);
  }

  page(): object {
    return this.host.facade;
  }

  private with(...steps: Step[]): WebKitLocator {
    return guardLocator(this.host, { steps: [...this.target.steps, ...steps] });
  }

  first(): WebKitLocator {
    return this.nth(0);
  }

  last(): WebKitLocator {
    return this.nth(-1);
  }

  nth(index: number): WebKitLocator {
    return this.with({ kind: 'nth', index });
  }

  /** Elements matching `selector` inside each element this locator means. */
  locator(selector: string, options: LocatorOptions = {}): WebKitLocator {
    if (typeof selector !== 'string') {
      throw new Error('locator(locator) is not available in WebKitGTK through WebDriver');
    }
    return this.with({ kind: 'css', selector }, ...filterSteps(options));
  }

  filter(options: LocatorOptions = {}): WebKitLocator {
    return this.with(...filterSteps(options));
  }

  getByRole(role: string, options: RoleOptions = {}): WebKitLocator {
    const unknown = Object.keys(options).filter(
      (key) => !['name', 'exact', 'includeHidden'].includes(key),
    );
    if (unknown.length > 0) {
      throw new Error(
        `getByRole option ${unknown.join(', ')} is not available in WebKitGTK through WebDriver`,
      );
    }
    return this.with({
      kind: 'role',
      role,
      name: options.name === undefined ? undefined : textQuery(options.name, options.exact),
      includeHidden: options.includeHidden === true,
    });
  }

  getByText(text: string | RegExp, options: { exact?: boolean } = {}): WebKitLocator {
    return this.with({ kind: 'text', text: textQuery(text, options.exact) });
  }

  async count(): Promise<number> {
    return (await this.snapshot()).count;
  }

  async isVisible(): Promise<boolean> {
    return (await this.strictSnapshot()).element?.visible === true;
  }

  async isHidden(): Promise<boolean> {
    return !(await this.isVisible());
  }

  async isEnabled(): Promise<boolean> {
    return (await this.element(actionTimeoutMs)).disabled === false;
  }

  async isDisabled(): Promise<boolean> {
    return !(await this.isEnabled());
  }

  async isChecked(): Promise<boolean> {
    const checked = (await this.element(actionTimeoutMs)).checked;
    if (checked === null) throw new Error(`${this.toString()} is not a checkbox or radio button`);
    return checked;
  }

  async textContent(options: { timeout?: number } = {}): Promise<string> {
    return (await this.element(options.timeout)).textContent;
  }

  async innerText(options: { timeout?: number } = {}): Promise<string> {
    return (await this.element(options.timeout)).innerText;
  }

  async allTextContents(): Promise<string[]> {
    return (await this.snapshot(null, 'textContent')).texts ?? [];
  }

  async allInnerTexts(): Promise<string[]> {
    return (await this.snapshot(null, 'innerText')).texts ?? [];
  }

  /** Waits (up to `timeout`, 30 s by default) for exactly one element, then reads the attribute. */
  async getAttribute(name: string, options: { timeout?: number } = {}): Promise<string | null> {
    return (await this.element(options.timeout, name)).attribute;
  }

  async inputValue(options: { timeout?: number } = {}): Promise<string> {
    const value = (await this.element(options.timeout)).value;
    if (value === null) throw new Error(`${this.toString()} is not an input, textarea or select`);
    return value;
  }

  async fill(value: string, options: { timeout?: number } = {}): Promise<void> {
    await this.element(options.timeout);
    await this.host.evaluateCode(scripts().fill, { target: this.target, value });
  }

  /** Waits until the locator's element is attached, detached, visible (the default) or hidden. */
  async waitFor(
    options: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number } = {},
  ): Promise<void> {
    const state = options.state ?? 'visible';
    await pollUntil(
      `waiting for ${this.toString()} to be ${state}`,
      options.timeout ?? actionTimeoutMs,
      async () => {
        const snapshot = await this.snapshot();
        if (state !== 'detached' && state !== 'hidden') {
          const violation = strictViolation(this.target, snapshot.count);
          if (violation) throw violation;
        }
        const element = snapshot.element;
        const holds = {
          attached: element !== undefined,
          detached: element === undefined,
          visible: element?.visible === true,
          hidden: element?.visible !== true,
        }[state];
        return holds ? true : undefined;
      },
    );
  }

  /**
   * A real WebDriver click (pointer events, focus, default actions), retried
   * like Playwright's actionability wait while the element is missing,
   * hidden, disabled or covered.
   */
  async click(options: { timeout?: number } = {}): Promise<void> {
    await pollUntil(`click ${this.toString()}`, options.timeout ?? actionTimeoutMs, async () => {
      const outcome = await this.host.inWindow(async (driver) => {
        let probe: { count: number; element: WebElement | null; ready: boolean };
        try {
          probe = await driver.executeScript(scripts().probe, JSON.stringify(this.target));
        } catch (error) {
          // The page replaced the element while its handle was being returned (a live list): retry.
          if ((error as Error).name === 'StaleElementReferenceError') return undefined;
          throw error;
        }
        const violation = strictViolation(this.target, probe.count);
        if (violation) return violation;
        if (probe.element === null || !probe.ready) return undefined;
        try {
          await probe.element.click();
          return true;
        } catch {
          // Not interactable yet (covered, detached, moving): retry.
          return undefined;
        }
      });
      if (outcome instanceof Error) throw outcome;
      return outcome;
    });
  }

  /** Called by Playwright's `expect(locator)` matchers; polls until the expectation holds (or not, with `.not`). */
  async _expect(expression: string, options: ExpectOptions): Promise<ExpectResult> {
    if (!isSupported(expression)) {
      throw new Error(
        `expect(locator) ${expression} is not available in WebKitGTK through WebDriver`,
      );
    }
    const timeout = options.timeout ?? 5_000;
    const deadline = timeout > 0 ? Date.now() + timeout : Number.POSITIVE_INFINITY;
    const attribute = attributeOf(expression, options);
    const texts = textsOf(expression, options);
    for (;;) {
      const snapshot = await this.snapshot(attribute, texts);
      const violation =
        expression === 'to.have.count' || texts !== null
          ? undefined
          : strictViolation(this.target, snapshot.count);
      if (violation) throw violation;
      const { matches, received } = judge(expression, options, snapshot);
      if (matches !== options.isNot) return { matches, received: { value: received }, log: [] };
      if (Date.now() >= deadline) {
        return { matches, received: { value: received }, log: [], timedOut: true };
      }
      await sleep(pollIntervalMs);
    }
  }

  private snapshot(
    attribute: string | null = null,
    texts: 'textContent' | 'innerText' | null = null,
  ): Promise<ElementSnapshot> {
    return this.host.evaluateCode(scripts().snapshot, { target: this.target, attribute, texts });
  }

  private async strictSnapshot(): Promise<ElementSnapshot> {
    const snapshot = await this.snapshot();
    const violation = strictViolation(this.target, snapshot.count);
    if (violation) throw violation;
    return snapshot;
  }

  /** Waits until the locator means exactly one element, as Playwright's element reads do. */
  private element(
    timeout = actionTimeoutMs,
    attribute: string | null = null,
  ): Promise<NonNullable<ElementSnapshot['element']>> {
    return pollUntil(`waiting for ${this.toString()}`, timeout, async () => {
      const snapshot = await this.snapshot(attribute);
      const violation = strictViolation(this.target, snapshot.count);
      if (violation) throw violation;
      return snapshot.element;
    });
  }
}

/** A locator whose missing Playwright methods throw a clear error. */
export function guardLocator(host: LocatorHost, target: Target): WebKitLocator {
  return unavailableElsewhere(new WebKitLocator(host, target), 'locator');
}
