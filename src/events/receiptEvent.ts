import type { ReceiptEvent } from './actorEvent.ts';
import type { ReceiptRecord } from '../store/schema.ts';

/** What tabs are told of a written receipt: its place and status, not its body. */
export function receiptEvent(receipt: ReceiptRecord): ReceiptEvent {
  return {
    type: 'receipt',
    actorId: receipt.actorId,
    key: receipt.key,
    seq: receipt.seq,
    status: receipt.status,
    answerStatus: receipt.answer.status,
  };
}
