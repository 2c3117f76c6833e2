/**
 * What the shell logs through: a pino logger fits, and tests pass a recorder. Messages
 * are plain strings; never put a token or a payload in one.
 */
export interface ShellLogger {
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}
