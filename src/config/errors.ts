// Config errors as data: a file, a path like apps[1].instances, what was expected and what was found.

// One problem found in a config file.
export interface ConfigIssue {
  readonly path: string;
  readonly message: string;
}

// Thrown when a config cannot be used; carries every issue found, not just the first.
export class ConfigError extends Error {
  readonly code = 'E_CONFIG';
  constructor(readonly file: string, readonly issues: readonly ConfigIssue[], readonly warnings: readonly ConfigIssue[] = []) {
    super(formatIssues(file, issues));
    this.name = 'ConfigError';
  }
}

// Renders issues one per line as "file: path: message".
export function formatIssues(file: string, issues: readonly ConfigIssue[]): string {
  return issues.map((i) => `${file}: ${i.path ? `${i.path}: ` : ''}${i.message}`).join('\n');
}

// Turns a zod-style path like ['apps', 1, 'instances'] into apps[1].instances.
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}
