export * from './bucket.js';
export * from './definition.js';
export * from './evaluate.js';
export * from './ofrep.js';
export * from './state.js';
