/**
 * Typed event listeners. Unlike Node's EventEmitter, an `error` event without listeners
 * does not throw, and a listener that throws does not break the emitter's caller (the
 * client is in the middle of handling a frame): the exception is reported to `onThrow`.
 */
export class Listeners<Events extends object> {
  private readonly sets = new Map<keyof Events, Set<(value: never) => void>>();

  constructor(private readonly onThrow: (err: Error, event: keyof Events) => void) {}

  /** Adds a listener; returns the function that removes it. */
  on<K extends keyof Events>(event: K, fn: (value: Events[K]) => void): () => void {
    let set = this.sets.get(event);
    if (!set) {
      set = new Set();
      this.sets.set(event, set);
    }
    const entry = fn as (value: never) => void;
    set.add(entry);
    return () => {
      this.sets.get(event)?.delete(entry);
    };
  }

  emit<K extends keyof Events>(event: K, value: Events[K]): void {
    const set = this.sets.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (value: Events[K]) => void)(value);
      } catch (err) {
        this.onThrow(err instanceof Error ? err : new Error(String(err)), event);
      }
    }
  }
}
