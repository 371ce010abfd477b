import type { ActionExecutor } from './action.js';
import { setFlag } from './set-flag.js';

/** `enable_flag` — turn a feature flag on (a kill switch whose "on" means safe mode, say). */
export const enableFlagExecutor: ActionExecutor<'enable_flag'> = {
  type: 'enable_flag',
  execute: (action, ctx) => setFlag(action.flag, true, ctx),
  describe: (action) => `enable feature flag ${action.flag}`,
};
