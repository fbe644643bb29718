/** Where Debian's WebKitGTK pieces live; env vars override them for other layouts. */
export interface WebKitBinaries {
  /** The W3C WebDriver server for WebKitGTK (package webkit2gtk-driver). */
  webDriver: string;
  /** The browser the driver starts per session; it must support `--automation`. */
  miniBrowser: string;
  /** The X server: WebKitGTK has no headless mode. */
  xvfb: string;
}

export function webKitBinaries(): WebKitBinaries {
  return {
    webDriver: process.env['WEBKIT_WEBDRIVER_PATH'] ?? '/usr/bin/WebKitWebDriver',
    miniBrowser:
      process.env['MINIBROWSER_PATH'] ?? '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
    xvfb: process.env['XVFB_PATH'] ?? '/usr/bin/Xvfb',
  };
}
