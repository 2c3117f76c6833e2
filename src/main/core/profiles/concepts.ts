/**
 * The console's concepts: what it needs to know of every node, whatever the fleet's
 * metric names. A metric profile maps each of them to PromQL that yields one value per
 * node (grouped by the profile's node label), or says why the fleet has no such figure.
 */
export const CONCEPTS = [
  'up',
  'lastScrape',
  'connectionsWs',
  'connectionsSse',
  'connectionsLongpoll',
  'connectionLimit',
  'deliveredRate',
  'publishedRate',
  'reconnectsRate',
  'droppedRate',
  'lagP50',
  'lagP99',
  'presenceOnline',
  'presenceAway',
  'draining',
  'drainRemaining',
  'busConnected',
  'bootId',
] as const;

export type Concept = (typeof CONCEPTS)[number];

/** What each concept's query must answer, per node (shown in errors and in the docs). */
export const CONCEPT_MEANING: Record<Concept, string> = {
  up: '1 while Prometheus scrapes the node successfully, 0 when it cannot',
  lastScrape: 'time of the latest scrape, in seconds since the epoch (e.g. timestamp(up))',
  connectionsWs: 'open WebSocket connections now',
  connectionsSse: 'open SSE (and other HTTP streaming) connections now',
  connectionsLongpoll: 'open long-polling connections now',
  connectionLimit: 'configured maximum of concurrent connections',
  deliveredRate: 'messages delivered to clients per second',
  publishedRate: 'messages published per second',
  reconnectsRate: 'connections arriving with a resume position, per second',
  droppedRate: 'messages dropped per second',
  lagP50: 'median pub/sub lag, in seconds',
  lagP99: '99th percentile pub/sub lag, in seconds',
  presenceOnline: 'users present and online through the node',
  presenceAway: 'users present and away through the node',
  draining: '1 while the node drains or is drained, else 0',
  drainRemaining: 'connections still open during a drain',
  busConnected: '1 while the pub/sub bus link is up, else 0',
  bootId: 'the process identity, changing on every start (a label, or the value itself)',
};

/** Concepts without which the console cannot judge a node at all: a profile must give a query. */
export const REQUIRED_CONCEPTS: readonly Concept[] = ['up', 'lastScrape'];

/** Which concepts feed which panel (the PromQL a panel shows on request). */
export const PANEL_CONCEPTS = {
  connections: ['connectionsWs', 'connectionsSse', 'connectionsLongpoll'],
  delivered: ['deliveredRate'],
  published: ['publishedRate'],
  reconnects: ['reconnectsRate'],
  dropped: ['droppedRate'],
  lag: ['lagP50', 'lagP99'],
  presence: ['presenceOnline', 'presenceAway'],
} as const satisfies Record<string, readonly Concept[]>;
