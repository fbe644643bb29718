/**
 * Runs jobs one after another. Pages of one context share one WebDriver
 * session whose "current window" is global state: each job switches to its
 * page's window and then acts, and must not interleave with another page's job.
 */
export class CommandQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(job: () => Promise<T>): Promise<T> {
    const result = this.tail.then(job, job);
    // Keep the chain going whatever this job does; the caller sees its own outcome.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
