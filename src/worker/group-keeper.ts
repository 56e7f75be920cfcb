// The keeper: a tiny shell process beside the master that knows every worker's process group
// and acts when the master is gone (its stdin, a pipe from the master, reaches EOF: also on
// kill -9). The kernel's parent-death signal reaches only the worker itself (setpriv), not
// what it started; so the keeper waits for each worker to go (at most its kill_timeout) and
// then sends its whole group the app's stop_signal: a cooperative tree is gone within
// moments of the master, as a live master would have it. A group that will not go is
// stopped with SIGKILL by the next master (workers.pids). It runs in a session of its own
// (no terminal signal reaches it) and ignores the catchable signals.
import type { ChildProcess } from 'node:child_process';
import type { GroupRecord } from '../runtime/worker-pids.js';
import { spawnChild } from './spawn-child.js';

// Lines on stdin: "+ <pgid> <signal> <kill_timeout ms> <1 if the kernel signals the worker>"
// and "- <pgid>". At EOF: a worker without a parent-death signal gets its stop signal; then
// each group gets it once its worker is gone or its kill_timeout has passed.
const KEEPER_SCRIPT = `trap '' HUP INT TERM QUIT PIPE USR1 USR2
groups=
while read -r op g s t d; do
  case $op in
    +) groups="$groups $g:$s:$t:$d" ;;
    -) left=; for x in $groups; do case $x in "$g":*) ;; *) left="$left $x" ;; esac; done; groups=$left ;;
  esac
done
for x in $groups; do
  g=\${x%%:*}; r=\${x#*:}; s=\${r%%:*}; d=\${x##*:}
  [ "$d" = 1 ] || kill -s "$s" "$g" 2>/dev/null
done
waited=0
while [ -n "$groups" ]; do
  left=
  for x in $groups; do
    g=\${x%%:*}; r=\${x#*:}; s=\${r%%:*}; r=\${r#*:}; t=\${r%%:*}
    st=; { read -r st < "/proc/$g/stat"; } 2>/dev/null
    st=\${st##*) }; st=\${st%% *}
    if [ -n "$st" ] && [ "$st" != Z ] && [ "$waited" -lt "$t" ]; then left="$left $x"; else kill -s "$s" -- "-$g" 2>/dev/null; fi
  done
  groups=$left
  if [ -n "$groups" ]; then sleep 0.1; waited=$((waited + 100)); fi
done
`;

// How often a keeper that died is started again, at most.
const RESTART_EVERY_MS = 10_000;

const lineOf = (r: GroupRecord) => `+ ${r.pid} ${r.stop_signal.replace(/^SIG/, '')} ${r.kill_timeout} ${r.pdeathsig ? 1 : 0}\n`;

// The master's handle on its keeper process.
export class GroupKeeper {
  private child: ChildProcess | null = null;
  private lastStart = 0;
  private closed = false;

  // `current` replays the live groups to a keeper started again; `warn` reports trouble once per start.
  constructor(private readonly current: () => Iterable<GroupRecord>, private readonly warn: (message: string) => void) {}

  // Starts the keeper (and again later if it died).
  start(): void {
    if (this.closed || this.child || Date.now() - this.lastStart < RESTART_EVERY_MS) return;
    this.lastStart = Date.now();
    const child = spawnChild('/bin/sh', ['-c', KEEPER_SCRIPT], { stdio: ['pipe', 'ignore', 'ignore'], detached: true }, (reason) => {
      this.warn(`cannot start the process-group keeper: ${reason}; if the master dies, what its workers started may outlive them until the next master starts`);
    });
    if (!child || child.pid === undefined) return;
    this.child = child;
    child.stdin!.on('error', () => undefined);
    child.once('exit', () => {
      if (this.child !== child) return;
      this.child = null;
      if (!this.closed) this.warn(`the process-group keeper (pid ${child.pid}) exited; starting it again`);
      setTimeout(() => this.start(), RESTART_EVERY_MS).unref();
    });
    child.unref();
    (child.stdin as unknown as { unref?: () => void }).unref?.();
    for (const r of this.current()) this.write(lineOf(r));
  }

  add(r: GroupRecord): void {
    if (this.child) this.write(lineOf(r));
    else this.start(); // replays every live group, this one too
  }

  remove(pgid: number): void {
    this.write(`- ${pgid}\n`);
  }

  // Ends the keeper: with no group left it exits at once.
  close(): void {
    this.closed = true;
    this.child?.stdin?.end();
  }

  private write(line: string): void {
    const stdin = this.child?.stdin;
    if (stdin && stdin.writable) stdin.write(line);
  }
}
