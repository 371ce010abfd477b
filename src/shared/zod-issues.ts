import type { z } from 'zod';

/** A zod error in one line, each issue with where it is: "payload.flag: Invalid input: expected string, received undefined". */
export function issuesLine(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.length > 0 ? `${i.path.join('.')}: ` : ''}${i.message}`).join('; ');
}
