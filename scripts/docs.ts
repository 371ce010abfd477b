// Regenerates what is generated from the config schema: medic.schema.json and the README's config
// reference. Run with `npm run docs` after changing src/config/schema/; a test fails while either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { configJsonSchemaText, withConfigReference } from '../src/config/index.js';

const root = path.resolve(import.meta.dirname, '..');
writeFileSync(path.join(root, 'medic.schema.json'), configJsonSchemaText());
const readmePath = path.join(root, 'README.md');
writeFileSync(readmePath, withConfigReference(readFileSync(readmePath, 'utf8')));
console.log('updated medic.schema.json and the README config reference');
