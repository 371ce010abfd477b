import type { ActionExecutor } from './action.js';
import { setFlag } from './set-flag.js';

/** `disable_flag` — turn a feature flag off (fall back to the proven code path). */
export const disableFlagExecutor: ActionExecutor<'disable_flag'> = {
  type: 'disable_flag',
  execute: (action, ctx) => setFlag(action.flag, false, ctx),
  describe: (action) => `disable feature flag ${action.flag}`,
};
