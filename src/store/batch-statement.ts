import { CompiledQuery } from 'kysely';

/**
 * A statement over a batch of rows whose SQL text depends only on the engine and the number of rows,
 * compiled once per size and then run with each batch's own values.
 *
 * Why: Kysely builds an operation tree of every cell of every row (a `cast(? as type)` in a values
 * table is half a dozen frozen objects) and compiles it to text on every call. For the scheduler's
 * flushes, hundreds of rows a dozen cells wide every second, building those trees was a large share of
 * the objects made per check and of the garbage collector's work. Batches come in a few sizes only
 * (sizedChunks), so the text is compiled once per size with stand-in values — each cell a distinct
 * value of its kind — and the stand-ins in the compiled parameters say which cell each parameter is.
 * Later batches skip the tree: their cells go straight into the parameter list in that order.
 */

export type BatchCell = string | number | null;
/** What a cell holds, so the stand-in passes the builders' own checks (see values-table.ts). */
export type BatchCellKind = 'integer' | 'number' | 'text';

interface Shape {
  sql: string;
  /** For each parameter: the row (−1 for a scalar) and the column or scalar it comes from. */
  slots: { row: number; name: string }[];
}

/** What a statement is compiled with: the engine (which keys the cached text) and whatever its builder needs. */
export interface BatchContext {
  engine: string;
}

export class BatchStatement<C extends string, S extends string, X extends BatchContext> {
  private readonly shapes = new Map<string, Shape>();

  constructor(
    private readonly columns: Readonly<Record<C, BatchCellKind>>,
    private readonly scalars: Readonly<Record<S, BatchCellKind>>,
    /** Builds and compiles the statement for these rows the usual Kysely way; called once per engine and size. */
    private readonly build: (rows: Record<C, BatchCell>[], scalars: Record<S, BatchCell>, ctx: X) => CompiledQuery,
  ) {}

  /** The statement for `rows` (at least one), ready for `db.executeQuery`. */
  compile(ctx: X, rows: readonly Readonly<Record<C, BatchCell>>[], scalars: Readonly<Record<S, BatchCell>>): CompiledQuery {
    const key = `${ctx.engine}:${rows.length}`;
    let shape = this.shapes.get(key);
    if (!shape) {
      shape = this.shape(rows.length, ctx);
      this.shapes.set(key, shape);
    }
    const params: BatchCell[] = new Array(shape.slots.length);
    for (let i = 0; i < params.length; i++) {
      const { row, name } = shape.slots[i]!;
      params[i] = row < 0 ? scalars[name as S] : rows[row]![name as C];
    }
    return CompiledQuery.raw(shape.sql, params);
  }

  private shape(size: number, ctx: X): Shape {
    const byStandIn = new Map<BatchCell, { row: number; name: string }>();
    let next = 0;
    const standIn = (kind: BatchCellKind, row: number, name: string): BatchCell => {
      // Integers that fit a 32-bit column; text that no real value takes.
      const value = kind === 'text' ? `\u0000batch-stand-in:${next}` : 1_000_000_000 + next;
      next++;
      byStandIn.set(value, { row, name });
      return value;
    };
    const fill = <K extends string>(kinds: Readonly<Record<K, BatchCellKind>>, row: number) => {
      const out = {} as Record<K, BatchCell>;
      for (const name of Object.keys(kinds) as K[]) out[name] = standIn(kinds[name], row, name);
      return out;
    };
    const rows = Array.from({ length: size }, (_, r) => fill(this.columns, r));
    const compiled = this.build(rows, fill(this.scalars, -1), ctx);
    const slots = compiled.parameters.map((p) => {
      const slot = byStandIn.get(p as BatchCell);
      // A parameter the statement made of its own (a constant): its text would not be the same for every batch.
      if (!slot) throw new Error(`batch statement: parameter ${JSON.stringify(p)} is not a cell of the batch`);
      return slot;
    });
    return { sql: compiled.sql, slots };
  }
}
