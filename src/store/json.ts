import { stringifyBounded } from '../shared/json.js';

/** JSON columns are text on both engines; these keep the encoding in one place. */
export const toJson = (value: unknown): string => stringifyBounded(value ?? null);

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
