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
    default_variant: z.string().optional().describe('Variant served to everyone not targeted and inside the rollout (default "on").'),
    off_variant: z.string().optional().describe('Variant served when disabled or outside the rollout (default "off").'),
    rollout: percentage().prefault('100%').describe('Share of targeting keys that get the default variant; the rest get the off variant.'),
    rules: z.array(flagRule).default([]),
    owner: z.string().optional(),
    service: z.string().optional().describe('Service the flag belongs to: its changes appear on that service\'s incidents.'),
  })
  .superRefine((f, ctx) => {
    if (f.type !== 'boolean' && !f.variants) {
      ctx.addIssue({ code: 'custom', path: ['variants'], message: `a ${f.type} flag needs variants` });
    }
    const names = Object.keys(f.variants ?? { on: true, off: false });
    for (const [key, value] of [['default_variant', f.default_variant], ['off_variant', f.off_variant]] as const) {
      if (value !== undefined && !names.includes(value)) {
        ctx.addIssue({ code: 'custom', path: [key], message: `unknown variant ${JSON.stringify(value)} (variants: ${names.join(', ')})` });
      }
    }
    f.rules.forEach((r, i) => {
      if (r.variant !== undefined && !names.includes(r.variant)) {
        ctx.addIssue({ code: 'custom', path: ['rules', i, 'variant'], message: `unknown variant ${JSON.stringify(r.variant)} (variants: ${names.join(', ')})` });
      }
    });
  });
export type FlagConfig = z.infer<typeof flag>;
