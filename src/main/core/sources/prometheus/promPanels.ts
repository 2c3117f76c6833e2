import type { PanelSource } from '../../../../shared/api';
import { SERIES_METRICS } from '../../../../shared/api';
import { CONCEPTS, CONCEPT_MEANING, PANEL_CONCEPTS, isQuery } from '../../profiles';
import type { Concept, Profile } from '../../profiles';
import { expandQuery } from './expandQuery';

/** Every panel: the fleet figures, the node table, and a chart per series metric. */
const PANELS: readonly PanelSource['panel'][] = ['figures', 'nodes', ...SERIES_METRICS];

const FIGURE_CONCEPTS: readonly Concept[] = [...PANEL_CONCEPTS.connections, 'deliveredRate', 'publishedRate', 'reconnectsRate', 'lagP99', ...PANEL_CONCEPTS.presence];

/**
 * One concept as a reader sees it under "Show query": a PromQL comment naming it, then
 * the query as run (the rate window filled in), ready to paste into Prometheus; or a
 * comment saying why the profile has none.
 */
export function describeConcept(profile: Profile, concept: Concept, windowSec: number): string {
  const def = profile.concepts[concept];
  if (!isQuery(def)) return `# ${concept}: unavailable in profile ${profile.name}: ${def.unavailable}`;
  const note = def.note ? ` (${def.note})` : '';
  return `# ${concept}: ${CONCEPT_MEANING[concept]}${note}\n${expandQuery(def.query, windowSec)}`;
}

/** The concepts behind a panel. */
export function panelConcepts(panel: PanelSource['panel']): readonly Concept[] {
  if (panel === 'figures') return FIGURE_CONCEPTS;
  if (panel === 'nodes') return CONCEPTS;
  return PANEL_CONCEPTS[panel];
}

/**
 * Every panel fed by Prometheus, as fresh as the newest scrape behind the latest round,
 * with its PromQL. `texts` holds each concept's {@link describeConcept} (built once);
 * `notes` adds a comment line to a concept's query (e.g. that it has answered nothing).
 */
export function prometheusPanelSources(texts: ReadonlyMap<Concept, string>, freshnessMs: number | null, notes?: ReadonlyMap<Concept, string>): PanelSource[] {
  return PANELS.map((panel) => ({
    panel,
    source: 'prometheus',
    freshnessMs,
    queries: panelConcepts(panel).map((c) => {
      const note = notes?.get(c);
      const text = texts.get(c) ?? `# ${c}`;
      return note === undefined ? text : `# ${note}\n${text}`;
    }),
  }));
}

/** Each concept's text under "Show query", for a profile. */
export function conceptTexts(profile: Profile, windowSec: number): Map<Concept, string> {
  return new Map(CONCEPTS.map((c) => [c, describeConcept(profile, c, windowSec)]));
}
