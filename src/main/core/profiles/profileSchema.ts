import { z } from 'zod';
import { LABEL_NAME } from '../inventory/publicLabels';
import { CONCEPTS } from './concepts';
import type { Concept } from './concepts';

/** A concept the fleet's metrics answer: PromQL yielding one value per node. */
export interface ConceptQuery {
  query: string;
  /** bootId only: the label that carries the boot id (else the value itself is the identity). */
  label?: string;
  /** What the query stands for where it is an approximation (shown with the query). */
  note?: string;
}

/** A concept the fleet's metrics do not have, and why (shown instead of a faked figure). */
export interface ConceptUnavailable {
  unavailable: string;
}

export type ConceptDef = ConceptQuery | ConceptUnavailable;

/** A complete metric profile: every concept is either a query or explicitly unavailable. */
export interface Profile {
  name: string;
  description: string;
  /** The label whose value names the node in every answer (`instance`, `node_id`…). */
  nodeLabel: string;
  concepts: Record<Concept, ConceptDef>;
}

export const BUILT_IN_PROFILES = ['contract', 'centrifugo'] as const;
export type BuiltInProfile = (typeof BUILT_IN_PROFILES)[number];

const conceptSchema = z.union([
  z
    .object({
      query: z.string().max(4000),
      label: z.string().regex(LABEL_NAME, 'must be a Prometheus label name').optional(),
      note: z.string().max(500).optional(),
    })
    .strict(),
  z.object({ unavailable: z.string().min(1).max(500) }).strict(),
]);

/**
 * A profile file (JSON). With `extends`, concepts not given come from that built-in
 * profile (and so does `nodeLabel`); without it, every concept must be given.
 */
export const profileFileSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, "_", "." or "-"'),
    description: z.string().max(500).optional(),
    extends: z.enum(BUILT_IN_PROFILES).optional(),
    nodeLabel: z.string().regex(LABEL_NAME, 'must be a Prometheus label name').optional(),
    concepts: z.object(Object.fromEntries(CONCEPTS.map((c) => [c, conceptSchema.optional()])) as Record<Concept, z.ZodOptional<typeof conceptSchema>>).strict(),
  })
  .strict();
export type ProfileFile = z.infer<typeof profileFileSchema>;

export function isQuery(d: ConceptDef): d is ConceptQuery {
  return 'query' in d;
}
