// Checks against the file system that the schema cannot make: the script of an interpreted
// app and every working directory must exist, so a typo fails at load, not as a crash loop.
import { accessSync, constants, statSync } from 'node:fs';
import type { ConfigIssue } from './errors.js';
import type { AppSpec } from './types.js';

function kind(p: string): 'file' | 'dir' | 'other' | string {
  try {
    const st = statSync(p);
    return st.isFile() ? 'file' : st.isDirectory() ? 'dir' : 'other';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'ENOENT' ? 'nothing there' : code === 'ELOOP' ? 'a symbolic link loop' : `an error (${code})`;
  }
}

const found = (k: string) => (k === 'dir' ? 'a directory' : k === 'other' ? 'not a regular file' : k);

// Appends an issue for each missing script or working directory.
export function validateFiles(apps: readonly { readonly index: number; readonly spec: AppSpec }[], issues: ConfigIssue[]): void {
  apps.forEach(({ index: i, spec: app }) => {
    const cwdKind = kind(app.cwd);
    if (cwdKind !== 'dir') issues.push({ path: `apps[${i}].cwd`, message: `expected an existing directory at ${app.cwd}, found ${found(cwdKind)}` });
    const pathLike = app.interpreter !== null || app.script.includes('/');
    if (!pathLike) return; // a bare command name is looked up on PATH when it starts
    const scriptKind = kind(app.script);
    if (scriptKind !== 'file') {
      issues.push({ path: `apps[${i}].script`, message: `expected an existing file at ${app.script}, found ${found(scriptKind)}` });
      return;
    }
    if (app.interpreter === null) {
      try {
        accessSync(app.script, constants.X_OK);
      } catch {
        issues.push({ path: `apps[${i}].script`, message: `expected an executable file at ${app.script}, found one without execute permission; chmod +x it or set "interpreter"` });
      }
    }
  });
}
