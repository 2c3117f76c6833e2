import type { Concept } from './concepts';

/** One mistake in a profile, located: the concept and its query when there is one. */
export interface ProfileProblem {
  concept: Concept | null;
  query: string | null;
  problem: string;
}

/** `profile "x", concept lagP99 (query: …): problem`, the query cut to a readable length. */
export function describeProblem(profile: string, p: ProfileProblem): string {
  let where = `profile "${profile}"`;
  if (p.concept !== null) where += `, concept ${p.concept}`;
  if (p.query !== null) where += ` (query: ${shorten(p.query)})`;
  return `${where}: ${p.problem}`;
}

function shorten(q: string): string {
  const one = q.replace(/\s+/g, ' ').trim();
  return one.length > 300 ? `${one.slice(0, 297)}...` : one;
}

/** A profile that cannot be used; `message` names each concept and query at fault. */
export class ProfileError extends Error {
  constructor(
    readonly profile: string,
    readonly problems: readonly ProfileProblem[],
  ) {
    super(problems.map((p) => describeProblem(profile, p)).join('; '));
    this.name = 'ProfileError';
  }
}
