import { z } from 'zod';
import { configSchema } from './schema/index.js';
import { jsonSchemaHint } from './schema/json-schema-hint.js';

/**
 * The JSON Schema of medic.yaml (committed as medic.schema.json), generated from the zod schema so the
 * editor's view and the loader can never disagree. It describes what a person writes (the input side:
 * "30s", "5%"), not what the loader produces.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-07',
    override(ctx) {
      const hint = jsonSchemaHint(ctx.zodSchema as unknown as z.ZodType);
      if (hint) {
        for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as Record<string, unknown>)[key];
        Object.assign(ctx.jsonSchema, z.toJSONSchema(hint, { io: 'input', unrepresentable: 'any', target: 'draft-07' }));
        delete (ctx.jsonSchema as Record<string, unknown>).$schema;
      }
    },
  }) as Record<string, unknown>;
  return { ...schema, $id: 'https://medic.dev/medic.schema.json', title: 'medic.yaml', description: 'Configuration of Medic, the MTTR platform.' };
}

export function configJsonSchemaText(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}
