import type { Mailbox } from '../mailbox/Mailbox.ts';
import type { SyncEngine } from '../sync/SyncEngine.ts';
import type { HostContext } from './hostContext.ts';
import type { ReceiptLookups } from './ReceiptLookups.ts';

/** The pieces of one host that request handling uses. */
export interface HostParts {
  context: HostContext;
  mailbox: Mailbox;
  lookups: ReceiptLookups;
  /** Present when a remote is configured. */
  sync: SyncEngine | undefined;
}

/** Hands work that must outlive the answer to the event (`waitUntil`), so the worker is not stopped under it. */
export type KeepAlive = (work: Promise<unknown>) => void;
