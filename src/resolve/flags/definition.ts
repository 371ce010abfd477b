import { flag, type FlagConfig } from '../../config/schema/flags.js';
import { evaluationError, type EvaluationError } from './evaluate.js';

/**
 * A flag's definition as the `flags` table stores it: the medic.yaml form of its config entry as JSON
 * (conditions as their source text), so reading it back goes through the same schema that checked the
 * config and yields the same FlagConfig. A definition that no longer parses (written by another
 * version, edited by hand) evaluates to PARSE_ERROR instead of failing the whole request.
 */

export function serializeFlagDefinition(config: FlagConfig): string {
  return JSON.stringify({
    ...config,
    rules: config.rules.map((r) => ({ ...r, when: r.when.source })),
  });
}

export type ParsedFlagDefinition = { ok: true; config: FlagConfig } | { ok: false; error: EvaluationError };

export function parseFlagDefinition(key: string, text: string): ParsedFlagDefinition {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: evaluationError(key, 'PARSE_ERROR', `the definition of flag ${JSON.stringify(key)} is not JSON: ${(err as Error).message}`) };
  }
  const parsed = flag.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, error: evaluationError(key, 'PARSE_ERROR', `invalid definition of flag ${JSON.stringify(key)}${where}: ${issue?.message ?? 'unknown error'}`) };
  }
  if (parsed.data.key !== key) {
    return { ok: false, error: evaluationError(key, 'PARSE_ERROR', `the definition stored for flag ${JSON.stringify(key)} is for ${JSON.stringify(parsed.data.key)}`) };
  }
  return { ok: true, config: parsed.data };
}
