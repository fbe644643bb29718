import type { VersionFile } from '../../src/sync/versionFile.ts';

/** How the remote's refunds compare with the keys sent: each one exactly one effect. */
export interface RefundCheck {
  /** Refunds sent (and accepted) that the head's registry does not hold: `actor/key`. */
  readonly lost: string[];
  /** Actors whose total is not −(refunds registered): a refund ran twice, or ran unregistered. */
  readonly miscounted: string[];
  /** Refunds the head holds in all. */
  readonly folded: number;
}

/**
 * Refunds (the next release's command, sent by device B only) must end with exactly one effect
 * once a worker that has the command folds them: each key in the head's registry, and the
 * actor's `total` lowered by exactly 1 for each.
 */
export function checkRefunds(
  refunds: ReadonlyMap<string, ReadonlySet<string>>,
  heads: ReadonlyMap<string, VersionFile | undefined>,
): RefundCheck {
  const lost: string[] = [];
  const miscounted: string[] = [];
  let folded = 0;
  for (const [actor, keys] of refunds) {
    const head = heads.get(actor);
    const registered = [...keys].filter((key) => head?.keys.get(key) !== undefined);
    for (const key of keys) if (head?.keys.get(key) === undefined) lost.push(`${actor}/${key}`);
    folded += registered.length;
    const total = (head?.state['total'] as number | undefined) ?? 0;
    if (total !== -registered.length) {
      miscounted.push(`${actor}: total ${total}, ${registered.length} refunds registered`);
    }
  }
  return { lost, miscounted, folded };
}
