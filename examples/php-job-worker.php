<?php
// A queue-style job worker in PHP (think a Gearman worker) that finishes its current job
// on SIGTERM, the supervisor's default stop_signal, and never dies in the middle of one.
// It takes a job about every 150 ms; each job takes about 150 ms and writes "start N" and
// "done N" lines to JOB_LOG. It signals readiness by writing a newline to the fd in
// SUPERVISOR_READY_FD (set "wait_ready": true). Needs the pcntl extension (php-cli has it).
pcntl_async_signals(true);
$stopping = false;
pcntl_signal(SIGTERM, function () use (&$stopping) { $stopping = true; });

$log = getenv('JOB_LOG') ?: 'php-jobs.log';
$jobMicros = (int) (getenv('JOB_MS') ?: 150) * 1000;

$readyFd = getenv('SUPERVISOR_READY_FD');
if ($readyFd !== false) {
    $ready = fopen("php://fd/$readyFd", 'w');
    fwrite($ready, "\n");
    fclose($ready);
}

$n = 0;
while (!$stopping) {
    $job = getmypid() . '-' . ++$n;
    file_put_contents($log, "start $job\n", FILE_APPEND | LOCK_EX);
    usleep($jobMicros); // the job; SIGTERM during it only sets $stopping
    file_put_contents($log, "done $job\n", FILE_APPEND | LOCK_EX);
    if (!$stopping) usleep($jobMicros);
}
