import { Script } from 'node:vm';

/** What the page sends back from an evaluation: JSON text, or the thrown error's message. */
export type Outcome =
  { ok: true; json: string | null } | { ok: false; message: string; stack: string | undefined };

/**
 * The source of a function as an expression. Like Playwright, it accepts
 * method shorthand (`run(x) { … }`), which is only valid after `function `.
 */
export function functionExpression(fn: (...args: never[]) => unknown): string {
  const source = fn.toString().trim();
  if (parses(`(${source})`)) return `(${source})`;
  const prefixed = source.startsWith('async ')
    ? `async function ${source.slice('async '.length)}`
    : `function ${source}`;
  if (parses(`(${prefixed})`)) return `(${prefixed})`;
  throw new Error('Passed function is not well-serializable!');
}

/**
 * A string as code that yields its value. A single expression is inlined;
 * statements (`a; b`) go through indirect eval for their completion value,
 * as Playwright's string evaluation does (this needs a CSP allowing eval).
 */
export function stringExpression(expression: string): string {
  if (parses(`(${expression}\n)`)) return `(${expression}\n)`;
  return `(0, eval)(${JSON.stringify(expression)})`;
}

/** Compiles without running, to pick how to ship the code. */
function parses(code: string): boolean {
  try {
    new Script(code);
    return true;
  } catch {
    return false;
  }
}

/** Where the page keeps the outcomes of evaluations still running: a non-enumerable global, one per document. */
const evaluationsKey = '__actordavWebKitEvaluations';

/** What the start script reports: the outcome of a value that was not a promise, or the evaluation's id in this document. */
export type Started =
  { done: Outcome; url: string } | { pending: number; document: string; url: string };

/** What the poll script reports: the outcome, "not yet", or that the document holding the evaluation is gone. */
export type Polled =
  { done: Outcome; url: string } | { pending: true } | { gone: true; url: string };

/** In-page helpers shared by both scripts: a value or an error as an Outcome. */
const reporters = `const report = (value) => {
  try {
    // JSON.stringify gives undefined for undefined (and functions): sent as null, read back as undefined.
    return { ok: true, json: JSON.stringify(value) ?? null };
  } catch (error) {
    return { ok: false, message: 'The result is not JSON-serializable: ' + String(error), stack: undefined };
  }
};
const failure = (error) => error instanceof Error
  ? { ok: false, message: error.message, stack: error.stack }
  : { ok: false, message: String(error), stack: undefined };`;

/**
 * The body for WebDriver's (synchronous) Execute Script that starts an
 * evaluation: computes `valueCode` (which may use `arg`). A value that is not
 * a promise is reported at once, as JSON text (so WebDriver's own
 * serialization never touches it). A promise is left running: its outcome
 * goes into a page-global map under a fresh id, which `pollScript` reads.
 * The script returns at once either way, so the session is never held while
 * the page waits, and other evaluations (of this page or of other windows)
 * run meanwhile. `arguments[0]` is the argument as JSON text, or null for
 * `undefined`.
 */
export function startScript(valueCode: string): string {
  return `const arg = arguments[0] === null ? undefined : JSON.parse(arguments[0]);
${reporters}
let value;
try {
  value = ${valueCode};
} catch (error) {
  return { done: failure(error), url: location.href };
}
const thenable = value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function';
if (!thenable) return { done: report(value), url: location.href };
let box = window[${JSON.stringify(evaluationsKey)}];
if (box === undefined) {
  box = { document: Math.random().toString(36).slice(2) + Date.now().toString(36), next: 0, outcomes: new Map() };
  Object.defineProperty(window, ${JSON.stringify(evaluationsKey)}, { value: box, configurable: true });
}
const id = ++box.next;
box.outcomes.set(id, undefined);
Promise.resolve(value).then(
  (settled) => box.outcomes.set(id, report(settled)),
  (error) => box.outcomes.set(id, failure(error)),
);
return { pending: id, document: box.document, url: location.href };`;
}

/**
 * The body for Execute Script that reads an evaluation's outcome:
 * `arguments[0]` is its id, `arguments[1]` the document it started in. A
 * read outcome is removed from the map. If the document changed (the page
 * navigated or reloaded), the map went with it: reported as gone.
 */
export const pollScript = `const box = window[${JSON.stringify(evaluationsKey)}];
if (box === undefined || box.document !== arguments[1] || !box.outcomes.has(arguments[0])) {
  return { gone: true, url: location.href };
}
const outcome = box.outcomes.get(arguments[0]);
if (outcome === undefined) return { pending: true };
box.outcomes.delete(arguments[0]);
return { done: outcome, url: location.href };`;

/** Turns the page's report into the value, or into an Error carrying the page's message. */
export function unwrap<R>(outcome: Outcome): R {
  if (outcome.ok) return (outcome.json === null ? undefined : JSON.parse(outcome.json)) as R;
  const error = new Error(outcome.message);
  if (outcome.stack !== undefined) error.stack = `Error: ${outcome.message}\n${outcome.stack}`;
  throw error;
}
