// One queue for every input of the master: signals, control requests, IPC messages, child
// exits and timers. Handlers only enqueue; the loop drains one event at a time, so no two
// pieces of master logic ever interleave (gunicorn's arbiter and runit work this way).

// A serial queue: each event's handler finishes (including its awaits) before the next starts.
export class EventQueue<E> {
  private readonly items: E[] = [];
  private draining = false;
  private readonly idleWaiters: (() => void)[] = [];
  // When the loop last finished an event; /healthz reads it.
  lastTurnAt = Date.now();

  constructor(
    private readonly handle: (event: E) => void | Promise<void>,
    private readonly onError: (error: unknown, event: E) => void,
  ) {}

  // Adds an event; the loop picks it up on a later tick, never inside the caller.
  push(event: E): void {
    this.items.push(event);
    if (!this.draining) {
      this.draining = true;
      setImmediate(() => void this.drain());
    }
  }

  // Resolves once every queued event (and whatever they enqueued) has been handled.
  whenIdle(): Promise<void> {
    if (!this.draining) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  // How many events wait.
  get length(): number {
    return this.items.length;
  }

  private async drain(): Promise<void> {
    while (this.items.length > 0) {
      const event = this.items.shift()!;
      try {
        await this.handle(event);
      } catch (error) {
        this.onError(error, event);
      }
      this.lastTurnAt = Date.now();
    }
    this.draining = false;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
