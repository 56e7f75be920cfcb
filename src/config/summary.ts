// The one-line summary of a config that the master logs at load and `supervisor check` prints.
import type { Config } from './types.js';

// "2 app(s): web x4, jobs x2 (env production)".
export function summarizeConfig(config: Config): string {
  const apps = config.apps.map((a) => `${a.name} x${a.instances}`).join(', ');
  return `${config.apps.length} app(s): ${apps || 'none'}${config.envName ? ` (env ${config.envName})` : ''}`;
}
