import { sql, type RawBuilder } from 'kysely';

/**
 * Literal rows as a table for a FROM clause: `UPDATE t SET x = v.x FROM ${dialect.valuesTable(…)} WHERE
 * t.id = v.id` writes a batch of different values in one statement. Columns are named by the caller;
 * how a name is given to a column of VALUES differs per engine (see StoreDialect.valuesTable). Every
 * value is cast to its column's type: PostgreSQL would otherwise type a bound parameter in VALUES as
 * text, and then refuse to assign it to a bigint.
 */

/** The SQL type of a column of a values table. */
export type ValuesColumnType = 'bigint' | 'integer' | 'text';
export type ValuesCell = string | number | null;
export type ValuesColumns<C extends string> = Readonly<Record<C, ValuesColumnType>>;
export type ValuesRow<C extends string> = Readonly<Record<C, ValuesCell>>;

const TYPES: ReadonlySet<string> = new Set<ValuesColumnType>(['bigint', 'integer', 'text']);

/** The column names, in the order of `columns`, checked. */
export function valuesColumnNames<C extends string>(columns: ValuesColumns<C>): C[] {
  const names = Object.keys(columns) as C[];
  if (names.length === 0) throw new RangeError('a values table needs at least one column');
  for (const name of names) if (!TYPES.has(columns[name])) throw new RangeError(`values table column ${name}: unknown type ${String(columns[name])}`);
  return names;
}

const INT4 = 2 ** 31;

/**
 * A cell as its column's type takes it on both engines. Casting does not: SQLite truncates 1.5 or
 * 'abc' into a bigint where PostgreSQL fails, and only PostgreSQL bounds an integer to 32 bits.
 */
function checkCell(name: string, type: ValuesColumnType, value: ValuesCell | undefined): ValuesCell {
  if (value === null) return value;
  if (typeof value === 'string' && type === 'text') return value;
  if (typeof value === 'number' && type !== 'text' && Number.isSafeInteger(value) && (type === 'bigint' || (value >= -INT4 && value < INT4))) return value;
  throw new RangeError(`values table column ${name} (${type}): ${value === undefined ? 'missing' : JSON.stringify(value)}`);
}

/** `VALUES (cast(? as type), …), …` for the rows, columns in the order of `columns`. */
export function valuesList<C extends string>(columns: ValuesColumns<C>, rows: readonly ValuesRow<C>[]): RawBuilder<unknown> {
  // VALUES with no row is not SQL on either engine; callers skip an empty batch.
  if (rows.length === 0) throw new RangeError('a values table needs at least one row');
  const names = valuesColumnNames(columns);
  const cells = (row: ValuesRow<C>) => names.map((name) => sql`cast(${checkCell(name, columns[name], row[name])} as ${sql.raw(columns[name])})`);
  return sql`VALUES ${sql.join(rows.map((row) => sql`(${sql.join(cells(row))})`))}`;
}
