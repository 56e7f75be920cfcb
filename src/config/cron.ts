// cron_restart patterns, read with croner (the parser PM2 itself uses): 5 fields, or 6 with
// seconds first. Only the loader child validates them; the master schedules with croner too.
import { Cron } from 'croner';

// Why `pattern` is not a cron pattern, or null when it is one.
export function cronProblem(pattern: string): string | null {
  try {
    new Cron(pattern, { paused: true }).stop();
    return null;
  } catch (error) {
    return (error as Error).message.replace(/^CronPattern: /, '');
  }
}
