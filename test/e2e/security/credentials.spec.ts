import { type Browser, type BrowserContext, type Page } from '@playwright/test';
import { expect, test } from '../support/fixtures.ts';
import { startWebdavServer } from '../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../servers/WebdavServer.ts';
import { call, freshActor, type Answer } from '../support/app.ts';
import { appUrl } from '../support/browser.ts';
import { currentEngine, engineLimit } from '../support/engines.ts';
import { basicToken, openSyncPage, SyncDevice } from '../support/syncDevice.ts';

// DESIGN.md §7: credentials for the remote never reach pages. With Basic credentials configured
// (as headers, or as user:pass@ in the remote URL), no answer the worker gives (state, status,
// receipts, tentative and final answers, problems, sync errors), no event it broadcasts
// (BroadcastChannel 'actordav') and nothing it logs carries any trace of them. Events carry no
// message bodies either (src/events/actorEvent.ts).

const username = 'alice-user';
const password = 'pw-Secret-7f3a9c';
const wrongPassword = 'pw-Wrong-0d1e2f';

/** Every form a credential could leak in. */
const secrets = [
  password,
  wrongPassword,
  basicToken(username, password),
  basicToken(username, wrongPassword),
  `${username}:${password}`,
  encodeURIComponent(password),
];

let server: WebdavServer;

test.beforeAll(async () => {
  server = await startWebdavServer('embedded', { auth: { username, password } });
});

test.afterAll(async () => {
  await server.stop();
});

/** A context that records every console message of its pages and service workers. */
async function recordingContext(browser: Browser) {
  const context = await browser.newContext({ baseURL: appUrl, serviceWorkers: 'allow' });
  const logs: string[] = [];
  const record = (text: string) => logs.push(text);
  const limit = engineLimit(currentEngine(), 'pageConsole');
  if (limit !== undefined) {
    test.info().annotations.push({ type: 'engine limit', description: `console: ${limit}` });
    return { context, logs };
  }
  context.on('console', (message) => record(message.text()));
  context.on('serviceworker', (worker) =>
    worker.on('console', (message) => record(message.text())),
  );
  return { context, logs };
}

/** Listens on the worker's BroadcastChannel from the page. */
async function listenToEvents(page: Page): Promise<void> {
  await page.evaluate(() => {
    const events: unknown[] = [];
    (globalThis as unknown as { actordavEvents: unknown[] }).actordavEvents = events;
    new BroadcastChannel('actordav').onmessage = (event: MessageEvent) => events.push(event.data);
  });
}

function eventsOf(page: Page): Promise<Record<string, unknown>[]> {
  return page.evaluate(
    () => (globalThis as unknown as { actordavEvents: Record<string, unknown>[] }).actordavEvents,
  );
}

/** Makes one worker log a line, to prove that its console really is recorded. */
async function proveWorkerLogsAreRecorded(context: BrowserContext, logs: string[]) {
  // Answers, events and the page's console are still checked where the worker's console is out of reach.
  const limit = engineLimit(currentEngine(), 'workerConsole');
  if (limit !== undefined) {
    test.info().annotations.push({ type: 'engine limit', description: `worker console: ${limit}` });
    return;
  }
  const worker = context.serviceWorkers()[0];
  expect(worker).toBeDefined();
  await worker?.evaluate(() => console.warn('actordav-test: worker console is recorded'));
  await expect.poll(() => logs.join('\n')).toContain('worker console is recorded');
}

function expectNoSecret(where: string, text: string): void {
  for (const secret of secrets) expect(text, `${where} leaks a credential`).not.toContain(secret);
}

const everything = (answer: Answer) =>
  `${answer.status} ${JSON.stringify(answer.headers)} ${answer.text}`;

test('Basic credentials as headers: no trace in answers, sync errors, events or logs', async ({
  browser,
}) => {
  const { context, logs } = await recordingContext(browser);
  const page = await context.newPage();
  const name = 'secret-headers';
  const device = new SyncDevice(page, name);
  const seen: Answer[] = [];
  const keep = async (answer: Promise<Answer>) => {
    const got = await answer;
    seen.push(got);
    return got;
  };
  try {
    await openSyncPage(page, {
      name,
      remote: server.url,
      confirm: 2000,
      token: basicToken(username, password),
    });
    await listenToEvents(page);
    await proveWorkerLogsAreRecorded(context, logs);
    const actor = freshActor('secret');
    const marker = `body-marker-${Date.now()}`;

    // Accepted, confirmed, replayed, read back.
    await keep(device.putTask(actor, 'k-1'));
    await keep(
      call(page, {
        method: 'PUT',
        path: device.path(actor, 'tasks'),
        key: 'k-2',
        body: { marker },
      }),
    );
    await device.waitUntilSynced(actor);
    expect((await device.status(actor)).remote?.probe).toBe('passed');
    await keep(device.putTask(actor, 'k-1'));
    await keep(device.receipt(actor, 'k-1'));
    await keep(call(page, { path: device.path(actor, 'state') }));
    await keep(call(page, { path: device.path(actor, 'status') }));
    // Problems: refused requests and a command's own rejection.
    await keep(call(page, { method: 'PUT', path: device.path(actor, 'tasks'), body: {} }));
    await keep(
      call(page, { method: 'PUT', path: device.path('../x', 'tasks'), key: 'k', body: {} }),
    );
    await keep(
      call(page, {
        method: 'POST',
        path: device.path(actor, 'execute'),
        key: 'k-f',
        body: { type: 'fail' },
      }),
    );

    // Wrong credentials: the sync error shows in status, without the credentials.
    await device.setToken(basicToken(username, wrongPassword));
    await keep(device.putTask(actor, 'k-3'));
    const failing = await device.waitForStatus(actor, (status) =>
      expect(status.lastError?.code).toBe('remote-unauthorized'),
    );
    seen.push({ url: '', status: 200, headers: {}, text: JSON.stringify(failing), json: failing });
    await keep(device.receipt(actor, 'k-3'));

    // Fixed: everything confirmed.
    await device.setToken(basicToken(username, password));
    await device.syncNow();
    await device.waitUntilSynced(actor);
    await keep(device.receipt(actor, 'k-3'));
    await keep(call(page, { path: device.path(actor, 'status') }));

    for (const answer of seen) expectNoSecret(`answer ${answer.url}`, everything(answer));
    const events = await eventsOf(page);
    expect(events.some((event) => event['type'] === 'receipt')).toBe(true);
    expect(events.some((event) => event['type'] === 'sync' && event['phase'] === 'failed')).toBe(
      true,
    );
    expectNoSecret('a broadcast event', JSON.stringify(events));
    // Events name receipts and rounds; they never carry a message body.
    expect(JSON.stringify(events)).not.toContain(marker);
    for (const event of events) {
      const keys = Object.keys(event).sort();
      expect(keys).toEqual(
        event['type'] === 'receipt'
          ? ['actorId', 'answerStatus', 'key', 'seq', 'status', 'type']
          : ['actorId', 'error', 'pending', 'phase', 'type', 'version'],
      );
    }
    expectNoSecret('the console', logs.join('\n'));
  } finally {
    await context.close();
  }
});

test('credentials in the remote URL (user:pass@host): status shows the URL without them', async ({
  browser,
}) => {
  const { context, logs } = await recordingContext(browser);
  const page = await context.newPage();
  const name = 'secret-url';
  const device = new SyncDevice(page, name);
  try {
    const withCredentials = new URL(server.url);
    withCredentials.username = username;
    withCredentials.password = password;
    await openSyncPage(page, { name, remote: withCredentials.href, confirm: 2000 });
    await listenToEvents(page);
    await proveWorkerLogsAreRecorded(context, logs);
    const actor = freshActor('url-secret');
    const answers = [await device.putTask(actor, 'k-1')];
    const status = await device.waitUntilSynced(actor);
    // The userinfo became Basic auth (the server demands it) and was then dropped from the URL.
    expect(status.remote).toEqual({ url: server.url, probe: 'passed', ifNoneMatch: 'honoured' });
    answers.push(await device.receipt(actor, 'k-1'));
    answers.push(await call(page, { path: device.path(actor, 'status') }));
    answers.push(await call(page, { method: 'PUT', path: device.path(actor, 'tasks'), body: {} }));
    for (const answer of answers) expectNoSecret(`answer ${answer.url}`, everything(answer));
    expectNoSecret('a broadcast event', JSON.stringify(await eventsOf(page)));
    expectNoSecret('the console', logs.join('\n'));
  } finally {
    await context.close();
  }
});
