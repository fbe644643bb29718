/**
 * Playwright's "browser" for Debian's Firefox ESR (run through ./firefox-bidi): starts Firefox,
 * serves a BiDi socket of its own that relays to Firefox's (see bidiRelay.ts), plus a control
 * endpoint for tests (controlServer.ts), and prints the line Playwright waits for.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { relay, type BidiRelay } from './bidiRelay.ts';
import { controlHandler, controlPath } from './controlServer.ts';
import { launchFirefox } from './launchFirefox.ts';
import { bindLifetime } from './lifetime.ts';
import { register } from './registry.ts';

const firefox = await launchFirefox(process.argv.slice(2));
const relays: BidiRelay[] = [];
const current = () => relays.findLast((one) => one.open);

const server = createServer(controlHandler(current));
const sockets = new WebSocketServer({ noServer: true });
server.on('upgrade', (request, socket, head) => {
  sockets.handleUpgrade(request, socket, head, (client) => {
    const upstream = new WebSocket(`${firefox.bidiUrl}${request.url ?? '/session'}`, {
      perMessageDeflate: false,
    });
    relays.push(relay(client, upstream));
  });
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
server.unref();

const { port } = server.address() as AddressInfo;
const unregister = register({
  pid: process.pid,
  controlUrl: `http://127.0.0.1:${port}${controlPath}`,
});
bindLifetime(firefox.child, unregister);
process.stderr.write(`WebDriver BiDi listening on ws://127.0.0.1:${port}\n`);
