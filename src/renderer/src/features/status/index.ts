export { ConnectingScreen } from './ConnectingScreen';
export { ConnectionIndicator } from './ConnectionIndicator';
export { EmptyFleet } from './EmptyFleet';
export { LinkBanner } from './LinkBanner';
export { NeedsLinkScreen } from './NeedsLinkScreen';
