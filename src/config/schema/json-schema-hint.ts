import type { z } from 'zod';

/**
 * Some config values are parsed by hand-written transforms (to pick the right error message or the right
 * step kind), which zod cannot describe in JSON Schema. Such a schema registers the schema an editor
 * should see instead; the JSON Schema export substitutes it.
 */
const hints = new WeakMap<z.ZodType, z.ZodType>();

export function describedAs<T extends z.ZodType>(schema: T, representative: z.ZodType): T {
  hints.set(schema, representative);
  return schema;
}

export function jsonSchemaHint(schema: z.ZodType): z.ZodType | undefined {
  return hints.get(schema);
}
