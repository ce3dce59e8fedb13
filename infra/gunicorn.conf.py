"""gunicorn settings for running the app on several cores behind a buffering proxy.

    gunicorn -c infra/gunicorn.conf.py 'skill.app:create_app()'

Not the container's server any more: infra/Dockerfile runs infra/serve.py (waitress).
gthread workers hand a connection to an app thread as soon as its first byte arrives and the
thread reads the rest itself, so slow clients hold the threads (8 clients sending a byte a
second stopped this 2 x 4 setup; see bench/serving/README.md). Use it only where something in
front buffers whole requests (nginx, a load balancer that does); the benchmarks and the
multi-process tests use this worker model.

Threaded workers suit the skill otherwise: a turn is a short wait on DynamoDB or the Alexa
Settings API. Alexa gives up on a response after about 8 seconds, so a request
still running after 10 is abandoned. Each request already logs one JSON line
(``closer.request``), so gunicorn's access log stays off.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

from skill.startup import hold_collection

bind = f"0.0.0.0:{int(os.environ.get('PORT', '8080'))}"
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 10
graceful_timeout = 10
keepalive = 5
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
control_socket_disable = True

accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# App Runner's load balancer terminates TLS and is the only way in.
forwarded_allow_ips = "*"


def post_fork(server: Any, worker: Any) -> None:
    """Each worker builds the app with collection held (``skill.startup``)."""
    hold_collection()


def _serve_logging() -> dict[str, Any]:
    """The container's logging settings (infra/serve.py), so both servers log alike."""
    spec = importlib.util.spec_from_file_location(
        "closer_serve", Path(__file__).with_name("serve.py")
    )
    assert spec is not None and spec.loader is not None
    serve = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(serve)
    logging: dict[str, Any] = serve.LOGGING
    return logging


_logging = _serve_logging()
logconfig_dict = {
    **_logging,
    "loggers": {
        **_logging["loggers"],
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
