export { ActiveSignals } from './ActiveSignals';
export { BlindnessBanner } from './BlindnessBanner';
export { blindSpotText, cleanReason, groupBlindSpots, listNodes } from './blindSpotText';
export type { BlindGroup } from './blindSpotText';
export { FleetFigures, LAG_WARN_MS } from './FleetFigures';
