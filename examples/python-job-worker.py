#!/usr/bin/env python3
"""A queue-style job worker in Python that finishes its current job on SIGTERM.

It takes a job about every 150 ms; each job takes about 150 ms and writes "start N" and
"done N" lines to JOB_LOG. On SIGTERM (the supervisor's default stop_signal) it stops
taking jobs, finishes the one in hand, and exits 0. It tells the supervisor it is ready by
writing a newline to the fd in SUPERVISOR_READY_FD (set "wait_ready": true).
"""
import os
import signal
import time

stopping = False


def on_term(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, on_term)

log_path = os.environ.get("JOB_LOG", "python-jobs.log")
job_seconds = float(os.environ.get("JOB_MS", "150")) / 1000


def log(line):
    with open(log_path, "a") as f:
        f.write(line + "\n")


ready_fd = os.environ.get("SUPERVISOR_READY_FD")
if ready_fd:
    os.write(int(ready_fd), b"\n")
    os.close(int(ready_fd))

n = 0
while not stopping:
    n += 1
    job = f"{os.getpid()}-{n}"
    log(f"start {job}")
    time.sleep(job_seconds)  # the job; a signal during it only sets `stopping`
    log(f"done {job}")
    if not stopping:
        time.sleep(job_seconds)
