"""gunicorn settings for the container.

    gunicorn -c infra/gunicorn.conf.py 'skill.app:create_app()'

Threaded workers suit the skill: a turn is a short wait on DynamoDB or the Alexa
Settings API. Alexa gives up on a response after about 8 seconds, so a request
still running after 10 is abandoned. Each request already logs one JSON line
(``closer.request``), so gunicorn's access log stays off.
"""

from __future__ import annotations

import os

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

logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "stream": "ext://sys.stdout",
        }
    },
    "root": {"level": "WARNING", "handlers": ["stdout"]},
    "loggers": {
        "closer": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.error": {"level": "INFO", "handlers": ["stdout"], "propagate": False},
        "gunicorn.access": {"level": "WARNING", "handlers": [], "propagate": False},
    },
}
