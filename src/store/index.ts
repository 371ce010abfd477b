export * from './chunks.js';
export * from './dialect.js';
export * from './jobs.js';
export * from './json.js';
export * from './report-engine.js';
export * from './schema.js';
export * from './store.js';
export * from './tokens.js';
export type { ValuesCell, ValuesColumnType, ValuesColumns, ValuesRow } from './values-table.js';
