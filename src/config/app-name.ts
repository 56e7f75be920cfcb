// PM2's rule for an app without a name, shared by the config loader and the CLI's script mode.
import path from 'node:path';

// The script's file name without its last extension ("app" for ./src/app.js).
export function nameFromScript(script: string): string {
  const base = path.basename(script);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}
