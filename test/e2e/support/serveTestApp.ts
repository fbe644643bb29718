import { serveApp } from '../../../demo/server.ts';
import { appUrl } from './browser.ts';

const { hostname, port } = new URL(appUrl);
await serveApp('test/e2e/.app-dist', hostname, Number(port), { single: true });
console.log(`actordav test app: ${appUrl}`);
