import type { Page } from '@playwright/test';
import type { Message } from './plan.ts';

/** What the page reports for each send that got an answer it accepts (201/202) or gave up on. */
export interface SendReport {
  /** The batch the send belonged to. */
  readonly batch: number;
  readonly key: string;
  readonly actor: string;
  /**
   * 201 (task) or 200 (refund) or 202, or another final status (a bug), or 0 when the page gave
   * up after `budgetMs`.
   */
  readonly status: number;
  readonly replayed: boolean;
  /** The answer body's `key` (must be the key sent). */
  readonly bodyKey: unknown;
  readonly attempts: number;
  /** Answers the page retried: status (or `network`) → count. */
  readonly retried: Record<string, number>;
  readonly text: string;
}

/** The name of the function the runner exposes to every page: it records each report at once. */
export const reportBinding = '__chaosReport';

interface BatchInput {
  readonly batch: number;
  readonly messages: readonly Message[];
  readonly scope: string;
  readonly concurrency: number;
  readonly budgetMs: number;
  readonly binding: string;
}

/**
 * Runs in the page, like a real client: each message is sent with its key until the worker
 * answers 201 or 202 (a worker stop, a 503, a 500 are retried with the same key and a small
 * backoff). Every final answer is reported to the runner as soon as it arrives, so a page
 * that dies mid-batch loses only the reports it never made.
 */
async function sendBatch(input: BatchInput): Promise<void> {
  const report = (globalThis as unknown as Record<string, (value: unknown) => Promise<void>>)[
    input.binding
  ];
  if (report === undefined) throw new Error('the report binding is missing');
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const sendOne = async (message: Message) => {
    const started = Date.now();
    const retried: Record<string, number> = {};
    for (let attempts = 1; ; attempts++) {
      let why: string;
      try {
        // A refund is the next release's command (only device B sends it); the rest are tasks.
        const refund = message.kind === 'refund';
        const response = await fetch(
          `${input.scope}${message.actor}/${refund ? 'execute' : 'tasks'}`,
          {
            method: refund ? 'POST' : 'PUT',
            headers: {
              'content-type': 'application/json',
              'idempotency-key': JSON.stringify(message.key),
            },
            body: JSON.stringify(refund ? { type: 'refund', amount: 1 } : { k: message.key }),
          },
        );
        const text = await response.text();
        const retryable = response.status >= 500;
        if (!retryable) {
          let bodyKey: unknown;
          try {
            bodyKey = (JSON.parse(text) as { key?: unknown }).key;
          } catch {
            bodyKey = undefined;
          }
          await report({
            batch: input.batch,
            key: message.key,
            actor: message.actor,
            status: response.status,
            replayed: response.headers.get('idempotent-replayed') === 'true',
            bodyKey,
            attempts,
            retried,
            text: response.status < 300 ? '' : text.slice(0, 300),
          });
          return;
        }
        why = String(response.status);
      } catch {
        why = 'network';
      }
      retried[why] = (retried[why] ?? 0) + 1;
      if (Date.now() - started > input.budgetMs) {
        await report({
          batch: input.batch,
          key: message.key,
          actor: message.actor,
          status: 0,
          replayed: false,
          bodyKey: undefined,
          attempts,
          retried,
          text: 'gave up',
        });
        return;
      }
      await sleep(Math.min(1000, 25 * 2 ** Math.min(attempts, 6)) * (0.5 + Math.random()));
    }
  };
  let next = 0;
  const lanes = Array.from({ length: input.concurrency }, async () => {
    while (next < input.messages.length) {
      const message = input.messages[next++];
      if (message !== undefined) await sendOne(message);
    }
  });
  await Promise.all(lanes);
}

/**
 * Ships `sendBatch` to the page. tsx names functions with an `__name` helper the page lacks,
 * so the expression brings a stand-in.
 */
export function runBatch(page: Page, input: Omit<BatchInput, 'binding'>): Promise<void> {
  const argument = JSON.stringify({ ...input, binding: reportBinding });
  return page.evaluate(
    `(() => { const __name = (f) => f; return (${sendBatch.toString()})(${argument}); })()`,
  );
}
