import { CONCEPTS, isQuery } from '../../profiles';
import type { Concept, ConceptQuery, Profile, ProfileProblem } from '../../profiles';
import { expandQuery } from './expandQuery';
import type { PrometheusClient, PromFailure } from './promClient';

/** What one node's answers say, concept by concept (only the concepts that answered for it). */
export interface NodeValues {
  values: Partial<Record<Concept, number>>;
  bootId: string | null;
}

/** One evaluation of every query of a profile, at one instant. */
export type RoundOutcome =
  | {
      ok: true;
      /** The evaluation instant, ms since the epoch. */
      at: number;
      /** Per value of the profile's node label. */
      byNode: Map<string, NodeValues>;
      /** Concepts whose query Prometheus rejected or that answered the wrong shape: a profile mistake, named. */
      conceptErrors: Map<Concept, ProfileProblem>;
      /** Concepts that answered no series at all. */
      empty: Concept[];
      durationMs: number;
      samples: number;
    }
  | { ok: false; at: number; failure: PromFailure; conceptErrors: Map<Concept, ProfileProblem> };

/** Queries of one round run at most this many at a time (Prometheus evaluates them in parallel). */
export const ROUND_CONCURRENCY = 4;

/**
 * Runs every available concept's query at `timeSec` and groups the answers by node. A
 * rejected query (400 bad_data) or an answer that is not one value per node is that
 * concept's error, the rest of the round stands; a failure to reach or read Prometheus
 * fails the whole round.
 */
export async function evaluateRound(client: PrometheusClient, profile: Profile, timeSec: number, windowSec: number): Promise<RoundOutcome> {
  const started = performance.now();
  const at = Math.round(timeSec * 1000);
  const byNode = new Map<string, NodeValues>();
  const conceptErrors = new Map<Concept, ProfileProblem>();
  const empty: Concept[] = [];
  let failure: PromFailure | null = null;
  let samples = 0;
  const todo = CONCEPTS.filter((c) => isQuery(profile.concepts[c]));

  const run = async (concept: Concept): Promise<void> => {
    const def = profile.concepts[concept] as ConceptQuery;
    const res = await client.query(expandQuery(def.query, windowSec), timeSec);
    if (!res.ok) {
      if (res.failure.kind === 'bad_query') conceptErrors.set(concept, { concept, query: def.query, problem: res.failure.message });
      else failure ??= res.failure;
      return;
    }
    const { resultType, samples: answer } = res.value;
    if (resultType !== 'vector') {
      conceptErrors.set(concept, { concept, query: def.query, problem: `answers a ${resultType}, not one value per node` });
      return;
    }
    if (answer.length === 0) empty.push(concept);
    let unlabeled = 0;
    for (const s of answer) {
      const node = s.labels[profile.nodeLabel];
      if (node === undefined || node === '') {
        unlabeled++;
        continue;
      }
      samples++;
      let nv = byNode.get(node);
      if (!nv) byNode.set(node, (nv = { values: {}, bootId: null }));
      if (concept === 'bootId') {
        nv.bootId ??= def.label !== undefined ? (s.labels[def.label] ?? null) : String(s.v);
      } else if (nv.values[concept] === undefined) nv.values[concept] = s.v;
    }
    if (unlabeled > 0 && unlabeled === answer.length) {
      conceptErrors.set(concept, { concept, query: def.query, problem: `answers series without the label ${profile.nodeLabel}; aggregate by (${profile.nodeLabel})` });
    }
  };

  const queue = [...todo];
  const workers = Array.from({ length: Math.min(ROUND_CONCURRENCY, queue.length) }, async () => {
    for (let c = queue.shift(); c !== undefined && failure === null; c = queue.shift()) await run(c);
  });
  await Promise.all(workers);
  const durationMs = performance.now() - started;
  if (failure !== null) return { ok: false, at, failure, conceptErrors };
  return { ok: true, at, byNode, conceptErrors, empty, durationMs, samples };
}
