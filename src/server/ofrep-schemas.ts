import { z } from 'zod';

/**
 * The OFREP request and response shapes, for the OpenAPI document only: the evaluation routes are a hot
 * path and neither validate requests against these nor serialize responses with them (see
 * routes/ofrep.ts). They follow the protocol's own OpenAPI document.
 */

const errorCode = z.enum(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL']);

export const ofrepRequest = z
  .object({
    context: z.record(z.string(), z.unknown()).optional().describe('The evaluation context: targetingKey (the user, account, …) and attributes rules match on.'),
  })
  .describe('An evaluation request, e.g. {"context": {"targetingKey": "user-1", "plan": "pro"}}');

export const ofrepSuccess = z.object({
  key: z.string(),
  value: z.unknown(),
  reason: z.enum(['STATIC', 'TARGETING_MATCH', 'SPLIT', 'DISABLED']),
  variant: z.string(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
});

export const ofrepFailure = z.object({ key: z.string(), errorCode, errorDetails: z.string() });
export const ofrepNotFound = z.object({ key: z.string(), errorCode: z.literal('FLAG_NOT_FOUND'), errorDetails: z.string() });
export const ofrepBulkSuccess = z.object({ flags: z.array(z.union([ofrepSuccess, ofrepFailure])) });
export const ofrepBulkFailure = z.object({ errorCode, errorDetails: z.string() });

export const ofrepConfigurationResponse = z.object({
  name: z.string(),
  capabilities: z.object({
    cacheInvalidation: z.object({ polling: z.object({ enabled: z.boolean(), minPollingIntervalMs: z.number() }) }),
    flagEvaluation: z.object({ supportedTypes: z.array(z.string()) }),
    caching: z.object({ enabled: z.boolean(), ttl: z.number() }),
  }),
});
