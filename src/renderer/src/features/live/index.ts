export { CHART_RANGES, createLiveStore } from './liveStore';
export type { LiveState, LiveStore, LiveView } from './liveStore';
export { connectLive, startsOver } from './connectLive';
export { mergeEventList, newestFirst, TIMELINE_CAP } from './eventList';
export { pushSpark, SPARK_SIZE } from './sparkRing';
export { LiveProvider, useApi, useConsoleNow, useLink, useLive, useLiveStore, useViewNow } from './LiveContext';
