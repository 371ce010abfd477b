import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { configJsonSchemaText, withConfigReference } from '../../src/config/index.js';

const root = path.resolve(import.meta.dirname, '../..');

describe('generated documentation is current (run `npm run docs` when this fails)', () => {
  it('medic.schema.json matches the zod schema', () => {
    expect(readFileSync(path.join(root, 'medic.schema.json'), 'utf8')).toBe(configJsonSchemaText());
  });

  it("the README's config reference lists every key of the schema", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toBe(withConfigReference(readme));
  });
});
