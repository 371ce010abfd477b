import { z } from 'zod';
import { percentage } from '../units.js';
import { condition } from './common.js';

/**
 * `flags:` — feature flags and kill switches, served over OFREP. Config sets a flag's initial state; a
 * change through the API or a remediation wins until the config changes that flag again.
 */

export const flagRule = z.strictObject({
  when: condition().describe('e.g. \'plan == "pro"\', \'country in [US, CA]\', \'user_id in ["u1", "u2"]\'.'),
  variant: z.string().optional().describe('Variant served when the rule matches (default: the flag\'s "on" variant).'),
  rollout: percentage().optional().describe('Share of matching keys that get the variant (default: all).'),
});

export const flag = z
  .strictObject({
    key: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a flag key may hold letters, digits, "_", "." and "-"'),
    description: z.string().optional(),
    enabled: z.boolean().default(true).describe('Off means everyone gets the off variant (the kill switch).'),
    type: z.enum(['boolean', 'string', 'number', 'object']).default('boolean'),
    variants: z.record(z.string(), z.unknown()).optional().describe('Variant name → value. Boolean flags get `on: true` and `off: false` when left out.'),
    default_variant: z.string().optional().describe('Variant served to everyone not targeted and inside the rollout (default "on"; needed when no variant is called "on").'),
    off_variant: z.string().optional().describe('Variant served when disabled or outside the rollout (default "off"; needed when no variant is called "off").'),
    rollout: percentage().prefault('100%').describe('Share of targeting keys that get the default variant; the rest get the off variant.'),
    rules: z.array(flagRule).default([]),
    owner: z.string().optional(),
    service: z.string().optional().describe('Service the flag belongs to: its changes appear on that service\'s incidents.'),
  })
  .superRefine((f, ctx) => {
    if (f.type !== 'boolean' && !f.variants) {
      ctx.addIssue({ code: 'custom', path: ['variants'], message: `a ${f.type} flag needs variants` });
      return;
    }
    const variants = f.variants ?? { on: true, off: false };
    const names = Object.keys(variants);
    const list = names.join(', ') || 'none';
    for (const [name, value] of Object.entries(variants)) {
      if (!variantMatchesType(f.type, value)) {
        ctx.addIssue({ code: 'custom', path: ['variants', name], message: `a ${f.type} flag's variants must be ${TYPE_WORDS[f.type]}, got ${JSON.stringify(value)}` });
      }
    }
    // Every flag must be able to answer both when it serves (default variant) and when it is switched
    // off or outside its rollout (off variant): a kill switch that cannot be pulled is found here, not
    // during an incident. The names default to "on" and "off", so variants without those need both keys.
    for (const [field, fallback] of [['default_variant', 'on'], ['off_variant', 'off']] as const) {
      const value = f[field];
      if (value !== undefined && !names.includes(value)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `unknown variant ${JSON.stringify(value)} (variants: ${list})` });
      } else if (value === undefined && !names.includes(fallback)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `the variants have no "${fallback}": name the ${field === 'default_variant' ? 'variant served by default' : 'variant served when the flag is off'} with ${field} (variants: ${list})` });
      }
    }
    f.rules.forEach((r, i) => {
      if (r.variant !== undefined && !names.includes(r.variant)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'variant'], message: `unknown variant ${JSON.stringify(r.variant)} (variants: ${list})` });
      }
    });
  });
export type FlagConfig = z.infer<typeof flag>;

const TYPE_WORDS = { boolean: 'true or false', string: 'strings', number: 'numbers', object: 'objects (mappings)' } as const;

/** Whether a variant's value is of the flag's type (an object flag's values are JSON objects, not lists). */
export function variantMatchesType(type: FlagConfig['type'], value: unknown): boolean {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean';
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
  }
}
