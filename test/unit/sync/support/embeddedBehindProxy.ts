import { afterAll, afterEach, beforeAll } from 'vitest';
import { startFaultProxy, type FaultProxy } from '../../../servers/faultProxy.ts';
import { startWebdavServer } from '../../../servers/startWebdavServer.ts';
import type { WebdavServer } from '../../../servers/WebdavServer.ts';

/**
 * An embedded WebDAV server and a fault proxy in front of it, started once for the calling test
 * file (its fields are set from `beforeAll` on); every fault injected is cleared after each test.
 */
export function embeddedBehindProxy(): { server: WebdavServer; proxy: FaultProxy } {
  const held = {} as { server: WebdavServer; proxy: FaultProxy };
  beforeAll(async () => {
    held.server = await startWebdavServer('embedded');
    held.proxy = await startFaultProxy({ target: held.server.url });
  });
  afterEach(() => held.proxy.clear());
  afterAll(async () => {
    await held.proxy.close();
    await held.server.stop();
  });
  return held;
}
