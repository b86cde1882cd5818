"""gunicorn settings for Regiekompas: ``gunicorn app.wsgi:app`` picks this file up from the top folder.

Environment:
  BIND or PORT       where to listen: BIND as gunicorn takes it ("0.0.0.0:8000", "unix:/run/rk.sock"),
                     else 0.0.0.0:$PORT, else 127.0.0.1:8000
  WEB_CONCURRENCY    number of worker processes (default: 2 per core plus 1, at most 12)
  GUNICORN_TIMEOUT   seconds before a silent worker is restarted (default 30)
  PDF_RECYCLE_AFTER  a worker is replaced after serving this many PDFs (default 200; 0 turns it off)
"""

import multiprocessing
import os

if os.environ.get("BIND"):
    bind = os.environ["BIND"]
elif os.environ.get("PORT"):
    bind = f"0.0.0.0:{int(os.environ['PORT'])}"
else:
    bind = "127.0.0.1:8000"

# Scoring and chart rendering use the CPU, so synchronous workers, about two per core.
workers = int(os.environ.get("WEB_CONCURRENCY") or min(2 * multiprocessing.cpu_count() + 1, 12))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# A worker is replaced now and then, as a safety net against slow growth (matplotlib keeps caches per
# process; figures in BENCHMARKS.md). Not too often: a fresh worker's first requests are slower.
max_requests = 10000
max_requests_jitter = 1000

# preload_app: the app (settings, the validated questionnaire definitions, matplotlib) is built once in
# the master and the workers are forked from it. Workers start faster and share that memory, a broken
# definition stops the master at once instead of every worker over and over, and the instance secret
# is created once, not raced by several workers. The price: code changes need a restart, not a HUP;
# and no database connection may cross the fork (create_app opens none; post_fork drops any pool).
preload_app = True


def pre_fork(server, worker):
    """Freeze the master's objects (the preloaded app) out of the garbage collector before each fork.

    A worker's collections then never walk them, so they neither cost time nor copy the shared
    memory pages (the collector writes to every object it visits). With ``max_requests`` a worker is
    replaced every few thousand requests, so without it this cost would come back again and again.
    """
    import gc

    gc.freeze()


def post_fork(server, worker):
    """Give each worker its own database connections."""
    from app.extensions import db
    from app.wsgi import app

    with app.app_context():
        db.engine.dispose(close=False)


# WeasyPrint keeps about a quarter of a MiB after each PDF and never gives it back (figures in
# BENCHMARKS.md): a worker that only served PDFs would reach some 2.5 GiB before max_requests replaced
# it. So a worker is also replaced after PDF_RECYCLE_AFTER PDFs. With 200 no worker went past 218 MiB
# over 1,000 PDFs, far below 400 MiB, with room for PDFs that keep more. The price is the fresh
# worker's first PDF, which imports WeasyPrint again: about 2 s instead of 0.9 s, once every 200 PDFs.
# Only workers that render PDFs are replaced sooner; max_requests stays the safety net for the rest.
PDF_RECYCLE_AFTER = int(os.environ.get("PDF_RECYCLE_AFTER", "200"))


def post_request(worker, req, environ, resp):
    """Count the PDFs this worker served; after ``PDF_RECYCLE_AFTER`` of them, retire it after this request.

    ``worker.alive = False`` is what gunicorn's own ``max_requests`` does: the worker finishes the
    request, leaves its loop and exits, and the master starts a new one. The count lives on the worker
    object, so it is per process and starts at 0 in each new worker.
    """
    if PDF_RECYCLE_AFTER <= 0 or resp is None:  # resp is None when the request failed before a response
        return
    content_type = next((value for name, value in resp.headers if name.lower() == "content-type"), "")
    if content_type.split(";")[0].strip().lower() != "application/pdf":
        return
    worker.pdfs_served = getattr(worker, "pdfs_served", 0) + 1
    if worker.pdfs_served >= PDF_RECYCLE_AFTER and worker.alive:
        worker.log.info("Recycling worker after %d PDFs (WeasyPrint memory)", worker.pdfs_served)
        worker.alive = False


# Access log: the app writes one JSON line per request to stdout (app/request_log.py: method, route
# pattern, endpoint, status, duration in ms). gunicorn's own access log stays off, because its lines
# hold the raw path and query string, and a report path is the key to someone's answers.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
