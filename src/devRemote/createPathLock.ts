/** Releases a claim taken with {@link PathLock.acquire}; calling it twice is harmless. */
export type ReleasePaths = () => void;

/** Orders requests that touch overlapping paths, first come first served. */
export interface PathLock {
  /**
   * Waits until every earlier conflicting claim is released. Claims conflict when their paths
   * overlap (one equals or contains the other) and at least one of them is exclusive.
   */
  acquire(paths: readonly string[], exclusive: boolean): Promise<ReleasePaths>;
}

interface Claim {
  readonly paths: readonly string[];
  readonly exclusive: boolean;
  readonly released: Promise<void>;
}

/**
 * Creates an in-process lock over slash-separated paths without trailing slashes ('' is the
 * root). Each claim waits only for claims queued before it, so claims never wait in a cycle.
 */
export function createPathLock(): PathLock {
  // A Set iterates in insertion order: the queue order.
  const claims = new Set<Claim>();
  return {
    async acquire(paths, exclusive) {
      const earlier = [...claims].filter(
        (claim) => (exclusive || claim.exclusive) && overlaps(claim.paths, paths),
      );
      let resolve: () => void = () => {};
      const claim: Claim = {
        paths,
        exclusive,
        released: new Promise<void>((r) => (resolve = r)),
      };
      claims.add(claim);
      await Promise.all(earlier.map((c) => c.released));
      return () => {
        claims.delete(claim);
        resolve();
      };
    },
  };
}

function overlaps(a: readonly string[], b: readonly string[]): boolean {
  return a.some((p) => b.some((q) => contains(p, q) || contains(q, p)));
}

function contains(outer: string, inner: string): boolean {
  return inner === outer || inner.startsWith(`${outer}/`);
}
