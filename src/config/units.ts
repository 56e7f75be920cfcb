// Parsers for the human units the ecosystem file accepts: durations ("5s") and sizes ("300M").

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;
const DURATION_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

// A duration in milliseconds from a number (ms) or a string like "1500", "30s", "2m"; null if unparseable.
export function parseDuration(value: number | string): number | null {
  const ms = typeof value === 'number' ? value : durationFromText(value);
  // The schema bounds it by MAX_DURATION_MS (what Node's timers can hold), with its own message.
  return ms !== null && Number.isFinite(ms) && ms >= 0 ? Math.round(ms) : null;
}

function durationFromText(text: string): number | null {
  const match = DURATION.exec(text.trim());
  return match ? Number(match[1]) * DURATION_MS[match[2] ?? 'ms']! : null;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*([KMG])?B?$/i;
const SIZE_BYTES: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

// A size in bytes from a number (bytes) or a PM2-style string like "300M", "1G", "512K"; null if unparseable.
export function parseSize(value: number | string): number | null {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value : null;
  const match = SIZE.exec(value.trim());
  if (!match) return null;
  const bytes = Number(match[1]) * SIZE_BYTES[(match[2] ?? '').toUpperCase()]!;
  return Number.isFinite(bytes) ? Math.round(bytes) : null;
}
