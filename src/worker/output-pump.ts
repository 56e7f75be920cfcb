// Reads one of a worker's output pipes (stdout, stderr) through a bounded line splitter and
// hands each line on with a flow handle: a slow sink pauses the pipe through it (the worker
// then blocks on its own writes: backpressure) and resumes it once it caught up.
import type { Readable } from 'node:stream';
import { LineSplitter } from './line-splitter.js';

// What a sink may do to the pipe a line came from.
export interface OutputFlow {
  // Stops reading the pipe until every pause is released; returns the release (idempotent).
  pause(): () => void;
}

// Receives one line, whether it was cut at the limit, and the flow of its pipe.
export type PumpSink = (text: string, truncated: boolean, flow: OutputFlow) => void;

// Splits what `stream` delivers into lines for `deliver`; returns the function to feed its
// chunks to (from its 'data' events, or from a socket's `onread` callback).
export function linePump(stream: Readable, maxLineBytes: number, deliver: PumpSink): (chunk: Buffer) => void {
  let holds = 0;
  const flow: OutputFlow = {
    pause() {
      let released = false;
      if (holds++ === 0) stream.pause();
      return () => {
        if (released) return;
        released = true;
        if (--holds === 0 && !stream.destroyed) stream.resume();
      };
    },
  };
  const splitter = new LineSplitter(maxLineBytes, (text, truncated) => deliver(text, truncated, flow));
  stream.on('end', () => splitter.end());
  stream.on('error', () => undefined);
  return (chunk) => splitter.push(chunk);
}
