export * from './bottleneck.js';
export * from './filter.js';
export * from './format.js';
export * from './maturity.js';
export * from './metrics.js';
export * from './mttr.js';
export * from './periods.js';
