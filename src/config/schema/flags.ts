import { z } from 'zod';
import { percentage } from '../units.js';
import { condition } from './common.js';

/**
 * `flags:` — feature flags and kill switches, served over OFREP. Config sets a flag's initial state; a
 * change through the API or a remediation wins until the config changes that flag again.
 */

export const flagRule = z.strictObject({
  /** e.g. 'plan == "pro"', 'country in [US, CA]', 'user_id in ["u1", "u2"]'. */
  when: condition(),
  /** Variant served when the rule matches (default: the flag's "on" variant). */
  variant: z.string().optional(),
  /** Share of matching keys that get the variant (default: all). */
  rollout: percentage().optional(),
});

export const flag = z
  .strictObject({
    key: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'a flag key may hold letters, digits, "_", "." and "-"'),
    description: z.string().optional(),
    enabled: z.boolean().default(true),
    type: z.enum(['boolean', 'string', 'number', 'object']).default('boolean'),
    /** Variant name → value. Boolean flags get `on: true` and `off: false` when left out. */
    variants: z.record(z.string(), z.unknown()).optional(),
    /** Variant served to everyone not targeted and inside the rollout (default "on"). */
    default_variant: z.string().optional(),
    /** Variant served when disabled or outside the rollout (default "off"). */
    off_variant: z.string().optional(),
    /** Share of targeting keys that get the default variant; the rest get the off variant. */
    rollout: percentage().default(1),
    rules: z.array(flagRule).default([]),
    owner: z.string().optional(),
    service: z.string().optional(),
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
