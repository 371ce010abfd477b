/** The alert formats Medic ingests, each validated by a zod schema and normalized into an IncomingAlert. */
export * from './alertmanager.js';
export { isoTimestamp, parseIsoTimestamp } from './fields.js';
export * from './issues.js';
export * from './pagerduty.js';
export * from './webhook.js';
