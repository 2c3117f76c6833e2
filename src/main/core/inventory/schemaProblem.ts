import type { ZodError } from 'zod';

/** Where a value broke its schema and what is wrong, phrased to follow "<file>, entry N, field F:". */
export interface SchemaProblem {
  entry: number | null;
  field: string | null;
  problem: string;
}

/** How a file's schema maps onto entries and which fields each object allows. */
export interface SchemaLayout {
  /** The path to the entries array: `['targets']` for a static config, `[]` for file_sd. */
  entriesAt: readonly PropertyKey[];
  /** Field names allowed at a path (relative to the file), to list after an unknown field. */
  fieldsAt(path: readonly PropertyKey[]): readonly string[];
}

type Issue = ZodError['issues'][number];

/**
 * The first problem a zod error reports, in document order, with unknown fields ahead of
 * other problems of the same entry (a misspelt `opsURL` is better reported as unknown than
 * as a missing `opsUrl`). Messages are ours, not zod's.
 */
export function schemaProblem(error: ZodError, data: unknown, layout: SchemaLayout): SchemaProblem {
  const ranked = error.issues.map((issue, order) => ({ issue, order, entry: entryOf(issue.path, layout) }));
  ranked.sort((a, b) => (a.entry ?? -1) - (b.entry ?? -1) || rank(a.issue) - rank(b.issue) || a.order - b.order);
  const { issue, entry } = ranked[0];
  const rel = entry === null ? issue.path : issue.path.slice(layout.entriesAt.length + 1);
  return { entry, ...describe(issue, rel, data, layout) };
}

function rank(issue: Issue): number {
  return issue.code === 'unrecognized_keys' ? 0 : 1;
}

function entryOf(path: readonly PropertyKey[], layout: SchemaLayout): number | null {
  const n = layout.entriesAt.length;
  if (path.length <= n || !layout.entriesAt.every((k, i) => path[i] === k)) return null;
  const index = path[n];
  return typeof index === 'number' ? index : null;
}

function describe(issue: Issue, rel: readonly PropertyKey[], data: unknown, layout: SchemaLayout): { field: string | null; problem: string } {
  const field = rel.length ? fieldPath(rel) : null;
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = layout.fieldsAt(issue.path);
      const known = allowed.length ? `; known fields are ${allowed.join(', ')}` : '';
      return { field: fieldPath([...rel, issue.keys[0]]), problem: `unknown field${known}` };
    }
    case 'invalid_type': {
      const got = valueAt(data, issue.path);
      const want = article(issue.expected);
      if (got === undefined) return { field, problem: 'is required' };
      return { field, problem: `${issue.path.length === 0 ? 'the top level ' : ''}must be ${want}, not ${typeName(got)}` };
    }
    case 'invalid_key':
      return { field, problem: issue.issues[0]?.message ?? 'is not a valid key' };
    case 'invalid_value':
      return { field, problem: `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}` };
    default:
      return { field, problem: issue.message };
  }
}

/** `['labels', 'node_id']` → `labels.node_id`; `['targets', 1]` → `targets[1]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) out += typeof k === 'number' ? `[${k}]` : out === '' ? String(k) : `.${String(k)}`;
  return out;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function article(expected: string): string {
  if (expected === 'record') return 'an object';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return article(typeof v);
}
