// Deep-freezes a config so nothing downstream can change what was validated.

// Freezes `value` and everything reachable from it; returns it for chaining.
export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  }
  return value;
}
