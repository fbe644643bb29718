import type { BidiRelay } from './bidiRelay.ts';

interface Tree {
  contexts: { context: string; url: string }[];
}

interface Evaluated {
  type: 'success' | 'exception';
  result?: { type: string; value?: unknown };
  exceptionDetails?: { text: string };
}

/**
 * Runs privileged JS in Firefox's chrome window (needs `--remote-allow-system-access`) and reads
 * back the string it resolves to. The window is looked up each time: it is the browser's own
 * `browser.xhtml`, which outlives pages and contexts but not a restart.
 */
export async function runInChrome(bidi: BidiRelay, expression: string): Promise<string> {
  const tree = (await bidi.send('browsingContext.getTree', {
    maxDepth: 0,
    'moz:scope': 'chrome',
  })) as Tree;
  const window = tree.contexts.find((one) => one.url.startsWith('chrome://browser/'));
  if (window === undefined) throw new Error('Firefox has no chrome window');
  const evaluated = (await bidi.send('script.evaluate', {
    expression,
    target: { context: window.context },
    awaitPromise: true,
  })) as Evaluated;
  if (evaluated.type !== 'success' || typeof evaluated.result?.value !== 'string') {
    throw new Error(
      `chrome script failed: ${JSON.stringify(evaluated.exceptionDetails ?? evaluated)}`,
    );
  }
  return evaluated.result.value;
}
