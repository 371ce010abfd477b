import { z } from 'zod';
import { parseCondition, type Condition } from '../condition.js';

/** Names used by several sections of medic.yaml. */

export const SEVERITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export const severity = z.enum(SEVERITIES, {
  error: (iss) => `expected one of P1, P2, P3, P4, got ${JSON.stringify(iss.input)}`,
});
export type Severity = z.infer<typeof severity>;

/** viewer < responder < admin is a ladder; `flags` stands apart: it may only evaluate flags (OFREP). */
export const ROLES = ['viewer', 'responder', 'admin', 'flags'] as const;
export const role = z.enum(ROLES);
export type Role = z.infer<typeof role>;

/** A non-empty name. */
export const name = () => z.string().trim().min(1, 'must not be empty');

/**
 * Label matchers: `{ service: payment-service, severity: "/P1|P2/" }`. A value wrapped in slashes is a
 * regular expression matched against the whole label value; anything else matches exactly.
 */
export const labelMatchers = z
  .record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String))
  .superRefine((matchers, ctx) => {
    for (const [key, value] of Object.entries(matchers)) {
      if (value.length > 1 && value.startsWith('/') && value.endsWith('/')) {
        try {
          new RegExp(value.slice(1, -1));
        } catch (err) {
          ctx.addIssue({ code: 'custom', path: [key], message: `invalid regular expression ${value}: ${(err as Error).message}` });
        }
      }
    }
  });
export type LabelMatchers = z.infer<typeof labelMatchers>;

export const labels = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String));

/** Names of notification channels (`notifications[].name`); checked against the channel list. */
export const notifyList = z.union([z.string(), z.array(z.string())]).transform((v) => (Array.isArray(v) ? v : [v]));

/** A condition in Medic's small comparison language (see ../condition.ts), parsed when the config loads. */
export const condition = () =>
  z.string().transform((source, ctx): Condition => {
    try {
      return parseCondition(source);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message, input: source });
      return z.NEVER;
    }
  });

/** A regular expression given as a string; checked when the config loads. */
export const regex = () =>
  z.string().superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `invalid regular expression: ${(err as Error).message}` });
    }
  });

export const httpUrl = () =>
  z.string().superRefine((value, ctx) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: `expected an absolute URL such as "https://example.com/health", got ${JSON.stringify(value)}` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `expected an http:// or https:// URL, got ${JSON.stringify(value)}` });
    }
  });

export const headers = z.record(z.string(), z.union([z.string(), z.number()]).transform(String));
