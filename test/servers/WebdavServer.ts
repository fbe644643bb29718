import type { BasicCredentials } from '../../src/devRemote/checkBasicAuth.ts';

/** The WebDAV servers end-to-end tests run against. */
export type WebdavServerKind = 'embedded' | 'lighttpd' | 'apache';

/** Options shared by every launcher. */
export interface WebdavServerOptions {
  /** Require these Basic credentials on everything but OPTIONS. */
  readonly auth?: BasicCredentials;
  /** A fixed port, e.g. to bring a stopped remote back at the same URL. Default: a free one. */
  readonly port?: number;
  /**
   * Serve this existing directory and keep it on stop (to restart a remote with its data).
   * Default: a fresh `data` folder inside the launcher's temp dir, removed on stop.
   */
  readonly dataDir?: string;
}

/** A running server, stopped by {@link WebdavServer.stop}. */
export interface WebdavServer {
  readonly kind: WebdavServerKind;
  /** The root collection, ending in `/`. */
  readonly url: string;
  /**
   * Directory on disk served at `url`. When root started a daemon, it belongs to `nobody`:
   * write through HTTP, or chown what you add, so the server can still change it.
   */
  readonly dataDir: string;
  /** Stops the server (by PID for daemons) and removes its temp dir. */
  stop(): Promise<void>;
}
