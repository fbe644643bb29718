import { createRequire } from 'node:module';
import type { WebDriver } from 'selenium-webdriver';

/** The part of pngjs (bundled in playwright-core) used to stitch screenshots. */
interface Png {
  width: number;
  height: number;
  data: Buffer;
}
interface PngCodec {
  new (options: { width: number; height: number }): Png;
  sync: { read(buffer: Buffer): Png; write(png: Png): Buffer };
}

/** Playwright's own PNG codec, if this install has it where it has had it for years. */
function pngCodec(): PngCodec | undefined {
  try {
    const bundle = createRequire(import.meta.url)('playwright-core/lib/utilsBundle') as {
      PNG?: PngCodec;
    };
    return bundle.PNG;
  } catch {
    return undefined;
  }
}

/** The tallest page stitched, in CSS pixels; below it the page is cut. */
const maxFullPageHeight = 16_000;

/**
 * A PNG of the viewport (WebDriver's Take Screenshot), or with `fullPage` of
 * the whole document: WebKit clips even the root element's screenshot to the
 * viewport, so the page is scrolled a viewport at a time and the shots
 * stitched (fixed elements then show once per shot). Without a PNG codec,
 * or on a page no taller than the viewport, it is the viewport's.
 */
export async function takeScreenshot(driver: WebDriver, fullPage: boolean): Promise<Buffer> {
  const viewport = async () => Buffer.from(await driver.takeScreenshot(), 'base64');
  const codec = pngCodec();
  if (!fullPage || codec === undefined) return viewport();
  const page = await driver.executeScript<{ height: number; full: number; x: number; y: number }>(
    `return { height: innerHeight, full: document.documentElement.scrollHeight, x: scrollX, y: scrollY };`,
  );
  if (page.full <= page.height || page.height <= 0) return viewport();
  const full = Math.min(page.full, maxFullPageHeight);
  let out: Png | undefined;
  let ratio = 1;
  try {
    for (let top = 0; top < full; top += page.height) {
      // Two frames after scrolling, so that the shot shows the scrolled page (it lags otherwise); done() twice is ignored.
      const scrolled = await driver.executeAsyncScript<number>(
        `const done = arguments[arguments.length - 1];
window.scrollTo({ left: arguments[0], top: arguments[1], behavior: 'instant' });
requestAnimationFrame(() => requestAnimationFrame(() => done(scrollY)));
setTimeout(() => done(scrollY), 250); // a background tab may draw no frames`,
        page.x,
        top,
      );
      const shot = codec.sync.read(await viewport());
      if (out === undefined) {
        ratio = shot.height / page.height;
        out = new codec({ width: shot.width, height: Math.round(full * ratio) });
      }
      // The last scroll may stop short of `top`: copy only the rows not drawn yet.
      const from = Math.round((top - scrolled) * ratio);
      const to = Math.round(top * ratio);
      const rows = Math.min(shot.height - from, out.height - to);
      const width = Math.min(shot.width, out.width) * 4;
      for (let row = 0; row < rows; row++) {
        const source = (from + row) * shot.width * 4;
        shot.data.copy(out.data, (to + row) * out.width * 4, source, source + width);
      }
    }
  } finally {
    await driver.executeScript(
      `window.scrollTo({ left: arguments[0], top: arguments[1], behavior: 'instant' });`,
      page.x,
      page.y,
    );
  }
  return out === undefined ? viewport() : codec.sync.write(out);
}
