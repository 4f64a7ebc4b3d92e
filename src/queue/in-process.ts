/**
 * The default queue: the work runs in this process as the delivery comes, and runs for the same pull request go
 * one after another, so two deliveries (opened + a redelivery, or two quick pushes) never both read the threads
 * before either posts. No Redis, nothing to configure: one replica.
 */
export class InProcessQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private running = 0;
  private waiting = 0;

  /** Run `work` after the earlier work of the same key; resolves or rejects with it. */
  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    this.waiting++;
    const start = () => {
      this.waiting--;
      this.running++;
      return work().finally(() => this.running--);
    };
    const next = before.then(start, start);
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** Work running and waiting (for the queue-depth metric). */
  depth(): { active: number; waiting: number } {
    return { active: this.running, waiting: this.waiting };
  }
}
