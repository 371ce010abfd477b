export * from './build.js';
export * from './prometheus.js';
export * from './schema.js';
export * from './service.js';
export * from './terminal.js';
export * from './window.js';
