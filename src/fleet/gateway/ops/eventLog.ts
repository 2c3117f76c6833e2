import type { IncomingMessage, ServerResponse } from 'node:http';

/** Lifecycle kinds of the fleet contract's `lifecycle` event. */
export type LifecycleKind =
  | 'started' | 'drain_started' | 'drain_progress' | 'drained' | 'undrained'
  | 'restarting' | 'bus_down' | 'bus_up' | 'shutdown';

interface LoggedEvent {
  seq: number;
  /** The whole SSE record, pre-rendered once for every reader. */
  text: string;
}

/**
 * The node's `/events` stream: every event gets the id `<boot_id>:<seq>`, the last
 * `capacity` are kept so a reader that reconnects from this boot misses nothing.
 */
export class EventLog {
  private seq = 0;
  private readonly ring: LoggedEvent[] = [];
  private readonly readers = new Set<ServerResponse>();
  private readonly lastWrite = new Map<ServerResponse, number>();
  private hbTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly bootId: string,
    /** Full current state, sent as `reset` to a reader we cannot resume. */
    private readonly snapshot: () => Record<string, unknown>,
    private readonly capacity = 500,
    private readonly heartbeatMs = 5000,
  ) {}

  start(): void {
    this.hbTimer = setInterval(() => this.heartbeat(), Math.min(1000, this.heartbeatMs));
    this.hbTimer.unref();
  }

  /** Appends an event and writes it to every reader. */
  emit(event: 'vitals' | 'lifecycle' | 'presence', data: Record<string, unknown>): void {
    const seq = ++this.seq;
    const text = `id: ${this.bootId}:${seq}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
    this.ring.push({ seq, text });
    if (this.ring.length > this.capacity) this.ring.shift();
    const now = Date.now();
    for (const res of this.readers) this.write(res, text, now);
  }

  get readerCount(): number {
    return this.readers.size;
  }

  /** Serves `GET /events` (auth is the caller's job). */
  serve(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    res.socket?.setNoDelay(true);
    const now = Date.now();
    let out = 'retry: 1000\n\n';
    const last = parseEventId(req.headers['last-event-id']);
    const oldest = this.ring.length ? this.ring[0].seq : this.seq + 1;
    if (last && last.bootId === this.bootId && last.seq >= oldest - 1 && last.seq <= this.seq) {
      for (const e of this.ring) if (e.seq > last.seq) out += e.text;
    } else if (last) {
      // Another boot, or older than we keep: start the reader over from the full state.
      out += `id: ${this.bootId}:${this.seq}\nevent: reset\ndata: ${JSON.stringify({ ...this.snapshot(), bootId: this.bootId })}\n\n`;
    }
    this.write(res, out, now);
    this.readers.add(res);
    const done = () => {
      this.readers.delete(res);
      this.lastWrite.delete(res);
    };
    res.on('close', done);
    res.on('error', done);
  }

  private write(res: ServerResponse, text: string, now: number): void {
    // A reader that stopped reading costs bounded memory: cut it off past 4 MiB queued.
    if (res.writableLength > 4 * 1024 * 1024) {
      res.destroy();
      return;
    }
    res.write(text);
    this.lastWrite.set(res, now);
  }

  private heartbeat(): void {
    const now = Date.now();
    for (const res of this.readers) {
      if (now - (this.lastWrite.get(res) ?? 0) >= this.heartbeatMs) this.write(res, ': hb\n\n', now);
    }
  }

  /** Ends every reader (node stopping). */
  close(): void {
    clearInterval(this.hbTimer);
    for (const res of this.readers) res.end();
    this.readers.clear();
  }
}

function parseEventId(header: string | string[] | undefined): { bootId: string; seq: number } | null {
  if (typeof header !== 'string' || header.length > 200) return null;
  const i = header.lastIndexOf(':');
  if (i <= 0) return null;
  const seq = Number(header.slice(i + 1));
  return Number.isSafeInteger(seq) && seq >= 0 ? { bootId: header.slice(0, i), seq } : null;
}
