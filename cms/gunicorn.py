"""gunicorn's settings in production: ``gunicorn -c python:cms.gunicorn cms.wsgi``.

Sync workers, two per core (``WEB_CONCURRENCY`` overrides), behind a proxy that buffers
requests and responses, as gunicorn advises for sync workers. Measured with ``make perf``
on 2 cores within an hour: threaded workers (gthread, 3 × 4 and 2 × 4) served the family
dashboard at 34 and 24 requests a second, 4 sync workers at 58, because a page here is
mostly Python and the threads of one process take turns on its interpreter lock; a
second worker per core runs while the first waits for PostgreSQL.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = True
