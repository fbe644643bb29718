/**
 * Renders the demo's SVG icons to the PNGs the web app manifest lists, with
 * Debian's Chromium (CHROMIUM_PATH overrides). Run after editing an SVG:
 * `npx tsx demo/scripts/renderIcons.ts`.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { chromiumLaunchOptions } from '../../test/e2e/support/browser.ts';

const icons = resolve(import.meta.dirname, '../public/icons');
const targets = [
  { svg: 'icon.svg', png: 'icon-192.png', size: 192 },
  { svg: 'icon.svg', png: 'icon-512.png', size: 512 },
  { svg: 'maskable.svg', png: 'maskable-512.png', size: 512 },
  { svg: 'icon.svg', png: 'apple-touch-icon.png', size: 180 },
];

const browser = await chromium.launch(chromiumLaunchOptions);
try {
  for (const { svg, png, size } of targets) {
    const page = await browser.newPage({ viewport: { width: size, height: size } });
    const source = await readFile(resolve(icons, svg), 'utf8');
    await page.setContent(
      `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${source}`,
    );
    await page.screenshot({ path: resolve(icons, png), omitBackground: true });
    await page.close();
    process.stdout.write(`${png} (${size}x${size})\n`);
  }
} finally {
  await browser.close();
}
