export * from './ics.js';
export * from './overview.js';
export * from './schedule.js';
export * from './format.js';
