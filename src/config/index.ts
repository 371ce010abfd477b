export * from './condition.js';
export * from './errors.js';
export * from './loader.js';
export * from './schema/index.js';
export * from './secrets.js';
export * from './units.js';
export * from './json-schema.js';
export * from './reference.js';
