const LF = 10;
const CR = 13;

/**
 * Counts the bytes of an SSE byte stream received since the last event boundary (a
 * blank line), i.e. what a parser may be holding for an event not yet complete: the
 * unterminated line plus the finished lines of the current event. Works on raw bytes
 * (before decoding), so the count is in bytes, and handles `\n`, `\r` and `\r\n` line
 * ends, including a `\r\n` split across two chunks.
 *
 * Kept beside the parser rather than inside it because eventsource-parser only
 * reports finished events, not where in a chunk they ended.
 */
export class PendingBytes {
  /** Bytes since the last blank line, excluding line terminators of blank lines. */
  private pending = 0;
  /** Bytes of the current, unterminated line. */
  private lineBytes = 0;
  /** The previous byte was a CR, so a following LF belongs to the same line end. */
  private afterCR = false;

  /** Bytes received since the last event boundary. */
  get value(): number {
    return this.pending;
  }

  /** Accounts for the next chunk of the stream. */
  scan(chunk: Uint8Array): void {
    let pending = this.pending;
    let lineBytes = this.lineBytes;
    let afterCR = this.afterCR;
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i];
      if (b === LF && afterCR) {
        afterCR = false;
        continue;
      }
      afterCR = b === CR;
      if (b === LF || b === CR) {
        if (lineBytes === 0) pending = 0;
        else pending++;
        lineBytes = 0;
      } else {
        lineBytes++;
        pending++;
      }
    }
    this.pending = pending;
    this.lineBytes = lineBytes;
    this.afterCR = afterCR;
  }

  /** Starts over (a new connection). */
  reset(): void {
    this.pending = 0;
    this.lineBytes = 0;
    this.afterCR = false;
  }
}
