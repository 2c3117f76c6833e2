export { EventItem } from './EventItem';
export { filterEvents } from './filterEvents';
export type { EventFilter } from './filterEvents';
export { TimelinePanel } from './TimelinePanel';
