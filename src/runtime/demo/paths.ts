import path from 'node:path';

/**
 * Where the demo keeps its data: `medic start` without a medic.yaml uses ./data (or --data DIR) for its
 * SQLite database and writes the config it runs there, which one-off commands read when they find no
 * medic.yaml (see cli/config-path.ts).
 */
export const DEMO_DATA_DIR = 'data';

export function demoConfigFile(dataDir: string): string {
  return path.join(dataDir, 'demo-medic.yaml');
}
