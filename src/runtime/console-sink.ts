// The foreground master's own stdout and stderr (`supervisor run`) as a log sink that never
// blocks the master nor grows its memory: when the reader is slow (a container log driver,
// a pipe nobody drains), at most CAP bytes wait per stream; further lines are dropped until
// half of that has gone out, then one line says how many. Workers are never paused for the
// console: the app log files are the lossless record, the console a view of it.
import type { Writable } from 'node:stream';

// Bytes waiting per stream above which lines are dropped.
export const CONSOLE_CAP = 1024 * 1024;

// Where `supervisor run` writes its log lines.
export interface ConsoleSink {
  write(stream: 'stdout' | 'stderr', text: string): void;
}

// A sink on `out`/`err` (process.stdout/stderr by default); `marker` words the dropped-lines line.
export function consoleSink(marker: (dropped: number) => string, out: Writable = process.stdout, err: Writable = process.stderr): ConsoleSink {
  const lanes = new Map<Writable, { dropped: number }>([
    [out, { dropped: 0 }],
    [err, { dropped: 0 }],
  ]);
  // Writes the dropped-lines note once there is room again (half the cap, so it comes at
  // most once per half a cap written, however long the overload lasts).
  const recover = (stream: Writable, lane: { dropped: number }) => {
    if (lane.dropped === 0 || stream.writableLength > CONSOLE_CAP / 2) return;
    stream.write(marker(lane.dropped) + '\n');
    lane.dropped = 0;
  };
  for (const [stream, lane] of lanes) {
    stream.on('error', () => undefined); // a closed or full terminal must never kill the master
    stream.on('drain', () => recover(stream, lane));
  }
  return {
    write(which, text) {
      const stream = which === 'stdout' ? out : err;
      const lane = lanes.get(stream)!;
      recover(stream, lane);
      if (lane.dropped > 0 || stream.writableLength > CONSOLE_CAP) {
        lane.dropped++;
        return;
      }
      stream.write(text + '\n');
    },
  };
}
