import type { Row } from '../../store/index.js';
import { parseFlagDefinition } from './definition.js';
import { evaluateFlag, flagNotFound, type Evaluation, type EvaluationError } from './evaluate.js';
import { flagState, type FlagState } from './state.js';

/**
 * Every flag's evaluation state, in memory: what OFREP evaluates from, so that evaluation never reads
 * the database. Immutable; a change builds the next snapshot from the `flags` rows, reusing the state
 * (and so the compiled rules and shared results evaluate.ts caches per state) of every flag whose row
 * did not change.
 */

interface Entry {
  /** What the entry was built from, to tell whether a row changed. */
  readonly version: number;
  readonly definition: string;
  readonly enabled: number;
  readonly rollout: number;
  /** The state to evaluate, or the error every evaluation answers (a definition that does not parse). */
  readonly state: FlagState | undefined;
  readonly error: EvaluationError | undefined;
}

export class FlagSnapshot {
  static readonly EMPTY = new FlagSnapshot(new Map());

  /** Flags in key order: the bulk evaluation's order, so that equal states give equal bodies and ETags. */
  private readonly ordered: readonly Entry[];

  private constructor(private readonly entries: ReadonlyMap<string, Entry>) {
    this.ordered = [...entries.keys()].sort().map((k) => entries.get(k)!);
  }

  /** The snapshot for these rows (the whole `flags` table). */
  next(rows: readonly Row<'flags'>[]): FlagSnapshot {
    const entries = new Map<string, Entry>();
    for (const row of rows) {
      const previous = this.entries.get(row.key);
      const unchanged =
        previous && previous.version === row.version && previous.definition === row.definition && previous.enabled === row.enabled && previous.rollout === row.rollout;
      entries.set(row.key, unchanged ? previous : build(row));
    }
    return new FlagSnapshot(entries);
  }

  get size(): number {
    return this.entries.size;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** The evaluation state of a flag (undefined: unknown, or its definition does not parse). */
  state(key: string): FlagState | undefined {
    return this.entries.get(key)?.state;
  }

  evaluate(key: string, context: unknown): Evaluation {
    const entry = this.entries.get(key);
    if (!entry) return flagNotFound(key);
    return entry.state ? evaluateFlag(entry.state, context) : entry.error!;
  }

  evaluateAll(context: unknown): Evaluation[] {
    const out: Evaluation[] = [];
    for (const entry of this.ordered) out.push(entry.state ? evaluateFlag(entry.state, context) : entry.error!);
    return out;
  }
}

function build(row: Row<'flags'>): Entry {
  const parsed = parseFlagDefinition(row.key, row.definition);
  const base = { version: row.version, definition: row.definition, enabled: row.enabled, rollout: row.rollout };
  if (!parsed.ok) return { ...base, state: undefined, error: parsed.error };
  return { ...base, state: flagState(parsed.config, { enabled: row.enabled === 1, rollout: row.rollout, version: row.version }), error: undefined };
}
