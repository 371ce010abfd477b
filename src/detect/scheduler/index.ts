export * from './scheduler.js';
export * from './state.js';
export * from './monitor-incidents.js';
export type { ClaimedRun, FinishedRun } from './schedule-store.js';
