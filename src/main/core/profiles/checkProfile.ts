import { CONCEPTS, REQUIRED_CONCEPTS } from './concepts';
import type { ProfileProblem } from './profileError';
import { isQuery } from './profileSchema';
import type { Profile } from './profileSchema';

/** The one variable a query may use; the source replaces it with a window fit for the scrape interval. */
export const RATE_INTERVAL = '$__rate_interval';

/**
 * The checks that need no Prometheus: every query non-empty, brackets balanced outside
 * string literals, no variable but `$__rate_interval`, and an aggregation `by (…)` that
 * keeps the node label (and, for bootId, the boot id label) so each node gets its own
 * value. Syntax proper is left to Prometheus (asked once at start).
 */
export function checkProfile(p: Profile): ProfileProblem[] {
  const problems: ProfileProblem[] = [];
  for (const concept of CONCEPTS) {
    const def = p.concepts[concept];
    if (!isQuery(def)) {
      if (REQUIRED_CONCEPTS.includes(concept)) problems.push({ concept, query: null, problem: `cannot be unavailable: the console needs it to judge every node (${def.unavailable})` });
      continue;
    }
    const query = def.query;
    const fail = (problem: string) => problems.push({ concept, query, problem });
    if (query.trim() === '') {
      fail('is empty');
      continue;
    }
    const brackets = unbalanced(query);
    if (brackets) {
      fail(brackets);
      continue;
    }
    const variable = /\$[A-Za-z_{][\w{}]*/g.exec(stripStrings(query).split(RATE_INTERVAL).join(''));
    if (variable) {
      fail(`uses ${variable[0]}; the only variable a query may use is ${RATE_INTERVAL}`);
      continue;
    }
    const keep = def.label !== undefined ? [p.nodeLabel, def.label] : [p.nodeLabel];
    if (!groupsBy(query, keep)) fail(`must aggregate by (${keep.join(', ')}) so that every node gets its own value, e.g. max by (${keep.join(', ')}) (...)`);
    if (def.label !== undefined && concept !== 'bootId') fail('"label" is only for bootId');
  }
  return problems;
}

/** Whether some `by (…)` clause of the query lists every label of `keep`. */
function groupsBy(query: string, keep: readonly string[]): boolean {
  const plain = stripStrings(query);
  for (const m of plain.matchAll(/\bby\s*\(([^)]*)\)/g)) {
    const labels = m[1].split(',').map((s) => s.trim());
    if (keep.every((k) => labels.includes(k))) return true;
  }
  return false;
}

/** The query with the contents of its string literals blanked (brackets inside them do not count). */
function stripStrings(q: string): string {
  return q.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, (s) => `${s[0]}${' '.repeat(s.length - 2)}${s[0]}`);
}

/** What is wrong with the query's brackets, or null. */
function unbalanced(q: string): string | null {
  const plain = stripStrings(q);
  const open = '([{';
  const close = ')]}';
  const stack: string[] = [];
  for (let i = 0; i < plain.length; i++) {
    const c = plain[i];
    if (open.includes(c)) stack.push(c);
    else if (close.includes(c)) {
      const want = open[close.indexOf(c)];
      if (stack.pop() !== want) return `has an unmatched "${c}" at character ${i + 1}`;
    }
  }
  return stack.length > 0 ? `has ${stack.length} unclosed bracket${stack.length > 1 ? 's' : ''} ("${stack.join('')}")` : null;
}
