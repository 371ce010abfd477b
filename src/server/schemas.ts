import { z } from 'zod';

/** Request shapes shared by several routes; what routes answer is in responses/. */

export const idParams = z.object({ id: z.coerce.number().int().positive() });
