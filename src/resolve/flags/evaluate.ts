import { evaluateCondition, conditionFields, type Condition } from '../../config/condition.js';
import { variantMatchesType } from '../../config/schema/flags.js';
import { BUCKETS, bucketIndex, bucketSeed, rolloutThreshold } from './bucket.js';
import type { FlagMetadata, FlagState } from './state.js';

/**
 * Flag evaluation, pure and in memory:
 *
 *   1. a context that is not an object (or a targetingKey that is not a string) → INVALID_CONTEXT
 *   2. disabled → the off variant, reason DISABLED (boolean flags: false; the value is always included,
 *      because OFREP providers reject a success without one)
 *   3. rules in order: the first whose `when` holds for the context serves its variant (TARGETING_MATCH);
 *      a rule with a rollout applies to that share of matching keys, the rest fall through
 *   4. a rollout below 100 %: inside → the default variant, outside → the off variant (SPLIT)
 *   5. otherwise the default variant (STATIC)
 *
 * A rule or rollout that needs a targeting key (one that reads `targetingKey`, or splits by bucket) when
 * the context has none → TARGETING_KEY_MISSING. A variant that is not defined, or whose value does not
 * match the flag's type, → GENERAL.
 *
 * It serves ~10k evaluations a second, so everything that depends only on the flag is worked out once
 * per FlagState (cached in a WeakMap) including the result objects themselves: an evaluation returns one
 * of a handful of frozen, shared results and allocates nothing of its own.
 */

export type EvaluationReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DISABLED';
export type EvaluationErrorCode = 'FLAG_NOT_FOUND' | 'PARSE_ERROR' | 'TARGETING_KEY_MISSING' | 'INVALID_CONTEXT' | 'GENERAL';

export interface EvaluationSuccess {
  readonly ok: true;
  readonly key: string;
  readonly value: unknown;
  readonly variant: string;
  readonly reason: EvaluationReason;
  readonly metadata: FlagMetadata;
}

export interface EvaluationError {
  readonly ok: false;
  readonly key: string;
  readonly errorCode: EvaluationErrorCode;
  readonly errorDetails: string;
}

export type Evaluation = EvaluationSuccess | EvaluationError;

/** An error result, for the cases evaluation cannot see itself (an unknown key, an unreadable definition). */
export function evaluationError(key: string, errorCode: EvaluationErrorCode, errorDetails: string): EvaluationError {
  return Object.freeze({ ok: false, key, errorCode, errorDetails });
}

export function flagNotFound(key: string): EvaluationError {
  return evaluationError(key, 'FLAG_NOT_FOUND', `flag ${JSON.stringify(key)} does not exist`);
}

/** Why a value is not an evaluation context, or undefined when it is one. */
export function contextProblem(context: unknown): string | undefined {
  if (typeof context !== 'object' || context === null || Array.isArray(context)) {
    return `the evaluation context must be a JSON object, got ${context === null ? 'null' : Array.isArray(context) ? 'an array' : typeof context}`;
  }
  const key = (context as Record<string, unknown>).targetingKey;
  if (key !== undefined && key !== null && typeof key !== 'string') return `targetingKey must be a string, got ${typeof key}`;
  return undefined;
}

interface CompiledRule {
  readonly condition: Condition;
  readonly readsKey: boolean;
  readonly threshold: number;
  readonly seed: number;
  readonly result: Evaluation;
}

interface CompiledFlag {
  readonly rules: readonly CompiledRule[];
  readonly threshold: number;
  readonly seed: number;
  readonly disabled: Evaluation;
  readonly static: Evaluation;
  readonly inside: Evaluation;
  readonly outside: Evaluation;
  readonly keyMissing: Evaluation;
}

const compiledFlags = new WeakMap<FlagState, CompiledFlag>();

function compile(flag: FlagState): CompiledFlag {
  const results = new Map<string, Evaluation>();
  const result = (variant: string, reason: EvaluationReason, metadata: FlagMetadata = flag.metadata): Evaluation => {
    const id = `${reason}\0${variant}\0${JSON.stringify(metadata)}`;
    let r = results.get(id);
    if (!r) {
      if (!Object.prototype.hasOwnProperty.call(flag.variants, variant)) {
        r = evaluationError(flag.key, 'GENERAL', `flag ${JSON.stringify(flag.key)} has no variant ${JSON.stringify(variant)} (variants: ${Object.keys(flag.variants).join(', ') || 'none'})`);
      } else if (!variantMatchesType(flag.type, flag.variants[variant])) {
        r = evaluationError(flag.key, 'GENERAL', `variant ${JSON.stringify(variant)} of ${flag.type} flag ${JSON.stringify(flag.key)} has a value of another type`);
      } else {
        r = Object.freeze({ ok: true, key: flag.key, value: flag.variants[variant], variant, reason, metadata });
      }
      results.set(id, r);
    }
    return r;
  };
  return {
    rules: flag.rules.map((rule, index) => ({
      condition: rule.when,
      readsKey: conditionFields(rule.when).includes('targetingKey'),
      threshold: rolloutThreshold(rule.rollout),
      // Salted with the rule's condition rather than its position, so reordering rules keeps each one's split.
      seed: bucketSeed(`${flag.key}\0${rule.when.source}`),
      result: result(rule.variant, 'TARGETING_MATCH', Object.freeze({ ...flag.metadata, rule: index })),
    })),
    threshold: rolloutThreshold(flag.rollout),
    seed: bucketSeed(flag.key),
    disabled: result(flag.offVariant, 'DISABLED'),
    static: result(flag.defaultVariant, 'STATIC'),
    inside: result(flag.defaultVariant, 'SPLIT'),
    outside: result(flag.offVariant, 'SPLIT'),
    keyMissing: evaluationError(flag.key, 'TARGETING_KEY_MISSING', `flag ${JSON.stringify(flag.key)} needs a targetingKey in the evaluation context`),
  };
}

function compiled(flag: FlagState): CompiledFlag {
  let c = compiledFlags.get(flag);
  if (!c) {
    c = compile(flag);
    compiledFlags.set(flag, c);
  }
  return c;
}

/** Evaluates a flag for a context (an OpenFeature evaluation context: `targetingKey` plus attributes). */
export function evaluateFlag(flag: FlagState, context: unknown): Evaluation {
  const c = compiled(flag);
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return invalidContext(flag, context);
  const attributes = context as Record<string, unknown>;
  const key = attributes.targetingKey;
  if (key !== undefined && key !== null && typeof key !== 'string') return invalidContext(flag, context);
  if (!flag.enabled) return c.disabled;
  const hasKey = typeof key === 'string' && key !== '';

  for (const rule of c.rules) {
    if (rule.readsKey && !hasKey) return c.keyMissing;
    if (rule.threshold === 0 || !evaluateCondition(rule.condition, attributes)) continue;
    if (rule.threshold >= BUCKETS) return rule.result;
    if (!hasKey) return c.keyMissing;
    if (bucketIndex(rule.seed, key as string) < rule.threshold) return rule.result;
  }

  if (c.threshold >= BUCKETS) return c.static;
  if (c.threshold === 0) return c.outside;
  if (!hasKey) return c.keyMissing;
  return bucketIndex(c.seed, key as string) < c.threshold ? c.inside : c.outside;
}

// Errors are the rare path: they may allocate their message.
function invalidContext(flag: FlagState, context: unknown): Evaluation {
  return evaluationError(flag.key, 'INVALID_CONTEXT', contextProblem(context) ?? 'invalid evaluation context');
}

/** Evaluates every flag for one context (OFREP's bulk evaluation). */
export function evaluateFlags(flags: Iterable<FlagState>, context: unknown): Evaluation[] {
  const out: Evaluation[] = [];
  for (const flag of flags) out.push(evaluateFlag(flag, context));
  return out;
}
