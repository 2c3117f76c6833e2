/**
 * Metric profiles: the console's concepts (connections by transport, reconnects, lag,
 * presence, draining…) mapped to PromQL, so fleets that do not follow our contract can
 * be watched through Prometheus. The door other parts of the console use.
 */
export { CONCEPTS, CONCEPT_MEANING, PANEL_CONCEPTS, REQUIRED_CONCEPTS } from './concepts';
export type { Concept } from './concepts';
export type { ConceptDef, ConceptQuery, ConceptUnavailable, Profile, ProfileFile, BuiltInProfile } from './profileSchema';
export { BUILT_IN_PROFILES, isQuery, profileFileSchema } from './profileSchema';
export { RATE_INTERVAL, checkProfile } from './checkProfile';
export { ProfileError, describeProblem } from './profileError';
export type { ProfileProblem } from './profileError';
export { MAX_PROFILE_FILE_BYTES, builtInProfile, loadProfile, profileFromJson } from './loadProfile';
export { CONTRACT_PROFILE } from './contractProfile';
export { CENTRIFUGO_PROFILE } from './centrifugoProfile';
