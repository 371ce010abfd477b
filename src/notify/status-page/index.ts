export * from './publish.js';
export * from './schema.js';
export * from './service.js';
export * from './snapshot.js';
export * from './state.js';
export * from './updates.js';
