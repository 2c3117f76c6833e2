import { InvalidArgumentError } from 'commander';

/** commander parser for a whole number in [min, max]. */
export function intOption(min: number, max: number): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}, got "${value}"`);
    return n;
  };
}

/** commander parser for a redis:// URL. */
export function redisUrlOption(value: string): string {
  try {
    const u = new URL(value);
    if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new Error('scheme');
    return value;
  } catch {
    throw new InvalidArgumentError(`expected redis://host:port, got "${value}"`);
  }
}
