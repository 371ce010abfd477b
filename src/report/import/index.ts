export * from './csv.js';
export * from './fields.js';
export * from './format.js';
export * from './import.js';
export * from './rows.js';
export * from './severity.js';
