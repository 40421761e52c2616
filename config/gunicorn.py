"""gunicorn configuration: `gunicorn -c config/gunicorn.py config.wsgi`.

Threaded workers (gthread): a request waiting on PostgreSQL does not hold a whole process, so
a 2-core host serves several hundred exam candidates with a few processes of about 100-150 MB.
Overload is answered, not queued: the number of connections a worker holds is bounded, every
request is stamped with the time it was queued (X-Request-Start, unless a trusted load balancer
in front already set it), and config.overload.OverloadSheddingMiddleware answers 503 with
Retry-After to a request that waited longer than its budget, before it touches the database.

Every value can be set from the environment (the names in brackets)."""

import os
import time

from gunicorn.workers import gthread
from gunicorn.workers.gthread import ThreadWorker


def _malloc_tune(arenas, mmap_threshold):
    """glibc gives each thread its own malloc arena: a threaded worker's memory grows with its
    threads, not its work. Capped here (as MALLOC_ARENA_MAX would) before any worker thread exists.

    And a fixed mmap threshold: glibc raises it after the first large block is freed (up to
    32 MB), so each password check's 19 MiB Argon2 block then comes from the arena and stays in
    the worker's resident memory after sign-in is over (a worker grew from 140 to 220 MB during
    a room's sign-in and never gave it back). Blocks from this size up are mapped and returned
    to the system when freed."""
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(-8, arenas)  # M_ARENA_MAX
        libc.mallopt(-3, mmap_threshold)  # M_MMAP_THRESHOLD (also stops its adjustment)
    except (OSError, AttributeError):
        pass


def _int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _open_files_allow(needed):
    """Raise this process's soft limit of open files towards `needed` (within the hard limit):
    every connection a worker holds is a file descriptor, and the soft limit is often 1,024."""
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        want = needed if hard == resource.RLIM_INFINITY else min(needed, hard)
        if soft != resource.RLIM_INFINITY and soft < want:
            resource.setrlimit(resource.RLIMIT_NOFILE, (want, hard))
    except (ImportError, ValueError, OSError):
        pass


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# [WEB_CONCURRENCY] processes: one per core; [GUNICORN_THREADS] threads each.
workers = _int("WEB_CONCURRENCY", max(2, os.cpu_count() or 1))
threads = _int("GUNICORN_THREADS", 6)
worker_class = "config.gunicorn.QueueStampingThreadWorker"
_malloc_tune(_int("GUNICORN_MALLOC_ARENA_MAX", 2), _int("GUNICORN_MALLOC_MMAP_THRESHOLD", 1024 * 1024))
# Connections one worker holds (in flight, queued for a thread, or kept alive). Past it the
# worker stops accepting and the kernel's listen queue, [GUNICORN_BACKLOG] long, holds the rest
# until a kept-alive connection expires: a request then waits the whole keep-alive time. An exam
# page keeps one connection open for its whole exam (it polls the clock every 5 s when idle)
# and a second while a poll and a save overlap, as a browser does, so a room served without a
# load balancer in front needs up to two per candidate across the workers (with 1,000 per
# worker, a 2,000-candidate exam had saves waiting 15-16 s in the listen queue). An idle
# kept-alive connection costs a socket and a few kilobytes, not a thread.
worker_connections = _int("GUNICORN_WORKER_CONNECTIONS", 4000)
backlog = _int("GUNICORN_BACKLOG", 1024)
# Each worker's connections, its database connections and the files it has open.
_open_files_allow(worker_connections + 256)
# Longer than the page's idle poll (5 s): a page reuses its connection instead of opening a new
# one for nearly every poll.
keepalive = _int("GUNICORN_KEEPALIVE", 15)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 20)
# Recycle a worker now and then so that slow growth of its memory never accumulates; rarely,
# since every one of its kept-alive exam pages reconnects at once when it goes (with 20,000 a
# worker was recycled three minutes into a 1,000-candidate exam, the clock polls counting).
max_requests = _int("GUNICORN_MAX_REQUESTS", 200_000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 20_000)
# Load the application once in the master: workers fork with it (less memory, faster restarts).
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# Set GUNICORN_TRUST_REQUEST_START=true only behind a load balancer that always sets
# X-Request-Start itself (HAProxy: `http-request set-header X-Request-Start t=%[date(0,us)]`);
# otherwise a client's own header is replaced by the worker's stamp.
TRUST_REQUEST_START = os.environ.get("GUNICORN_TRUST_REQUEST_START", "").lower() in ("1", "true", "yes")
HEADER = "X-REQUEST-START"


def _stamp(req, queued_at):
    if TRUST_REQUEST_START and any(name == HEADER for name, _ in req.headers):
        return
    req.headers = [(name, value) for name, value in req.headers if name != HEADER]
    req.headers.append((HEADER, f"t={int(queued_at * 1_000_000)}"))


# How long a thread waits for the first bytes of a new connection before it hands the
# connection back to the worker's poller [GUNICORN_FIRST_BYTES_WAIT_MS]. gthread waits 5 s, so a
# connection opened and left silent (a browser's speculative preconnect, or anyone opening
# sockets on purpose) held a thread for 5 s: a dozen such sockets every 5 s stopped a 2 × 6
# server. A client that connects sends its request at once; a silent one now costs a thread
# this long and then only a socket, until it speaks or its keep-alive time runs out.
FIRST_BYTES_WAIT_S = _int("GUNICORN_FIRST_BYTES_WAIT_MS", 200) / 1000


class QueueStampingThreadWorker(ThreadWorker):
    """gthread, with each request stamped with the moment its connection was handed to the
    thread pool: the wait for a free thread is what grows under overload, and what the
    shedding middleware measures. And a silent new connection gives its thread back quickly
    (FIRST_BYTES_WAIT_S)."""

    stamps_queue = True

    def handle(self, conn):
        fresh = not conn.initialized and not getattr(conn, "data_ready", True)
        if fresh and not conn.wait_for_data(FIRST_BYTES_WAIT_S):
            return gthread._DEFER  # to the poller: a thread takes it up when its bytes arrive
        return super().handle(conn)

    def enqueue_req(self, conn):
        conn.bench_queued_at = time.time()
        super().enqueue_req(conn)

    def handle_request(self, req, conn):
        _stamp(req, getattr(conn, "bench_queued_at", None) or time.time())
        return super().handle_request(req, conn)


def pre_request(worker, req):
    """Other worker classes (sync): stamp on arrival (their queue is the listen backlog)."""
    # (not isinstance: gunicorn runs this file apart from the module it imports the class from)
    if not getattr(worker, "stamps_queue", False):
        _stamp(req, time.time())
