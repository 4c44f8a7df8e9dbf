// The pure scenario engine: no I/O, time passed in. See compute.ts for the formula.
export { computeForecast, evaluate, quickPosterior } from './compute.ts';
export { EngineState, groupKey } from './state.ts';
export { centredLogs, pickTable, safeLog } from './likelihood.ts';
export { observationWeight, tierWeight } from './weights.ts';
export { deadlineEndMs, deadlineFactor } from './prior.ts';
export { dailyValues, levelEvidence } from './level.ts';
export * from './types.ts';
export { whatToWatch, probeItem, type WatchProbe, type WatchResult } from './watch.ts';
