/**
 * A wall clock the recorder can hold still while the core handles one input, so the time
 * recorded with the input is exactly the time the core read (`now()` inside the call, the
 * timeline events it raises): a replay on the recorded times then computes exactly what
 * the live core did. Give `now` to the core (ConsoleCoreOptions.now) and the clock to the
 * recorder (RecorderOptions.clock). Without it a recorded time may precede the core's own
 * reading by a millisecond or so (freshness figures may then differ by as much).
 */
export class RecordingClock {
  private held: number | null = null;

  constructor(private readonly wall: () => number = Date.now) {}

  readonly now = (): number => this.held ?? this.wall();

  /** Runs `fn` with the clock held at one reading (nested calls keep the outer reading). */
  hold<T>(fn: () => T): T {
    if (this.held !== null) return fn();
    this.held = this.wall();
    try {
      return fn();
    } finally {
      this.held = null;
    }
  }
}
