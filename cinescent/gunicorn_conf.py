"""gunicorn settings for the web: `make run` uses them, and so can production
(`gunicorn -c cinescent/gunicorn_conf.py --bind 0.0.0.0:8000 cinescent.wsgi:application`).

Threads carry the concurrency, processes the CPUs: every web process loads the models pages use
(settings.WEB_WARMUP), so a process costs hundreds of MB and a thread almost nothing. Each thread
keeps at most one database connection, so the web holds at most `workers * threads` of them (plus
one per process while its warm-up runs); `manage.py runstack` checks the whole stack's bound against
Postgres' max_connections before it starts. Requests beyond the threads wait in the listen queue
instead of opening more connections.
"""

import os

from cinescent.env import env_int

# The cores this process may use (a container's CPU set), where the platform can tell.
cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
worker_class = "gthread"
workers = env_int("WEB_WORKERS", min(max(2, cores), 4), minimum=1)
threads = env_int("WEB_THREADS", 4, minimum=1)
timeout = 60  # a worker silent this long is restarted (gthread keeps beating during long requests)
graceful_timeout = 20  # below runstack's 30 s stop deadline: requests in flight finish first
accesslog = "-"
control_socket_disable = True  # unused; its default path in $HOME would be shared by two stacks
