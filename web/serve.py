"""``hub serve``: the app under gunicorn, a production WSGI server (not Flask's dev server)."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import Any

from gunicorn.app.base import BaseApplication

from hub.storage import database_url, persistence_env


class HubServer(BaseApplication):
    """Gunicorn with the app built in each worker, after the fork."""

    def __init__(self, options: dict[str, Any]):
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        # gunicorn 27 opens a control socket at one path per user; several hubs on one machine (or a
        # server killed without cleaning up) would collide there, and the hub does not use it.
        if "control_socket_disable" in self.cfg.settings:
            self.cfg.set("control_socket_disable", True)

    def load(self) -> Any:
        from web import create_app

        return create_app()


def cmd_serve(args: argparse.Namespace) -> int:
    # A store the hub cannot use is one line before gunicorn starts, not a worker's traceback.
    persistence_env(database_url())
    # Every worker must sign sessions with the same key: made once here, inherited at fork.
    # Without HUB_SECRET_KEY, people sign in again after a restart.
    os.environ.setdefault("HUB_SECRET_KEY", secrets.token_hex(32))
    replayed = prepare_read_model(database_url())
    if _starts_again(replayed):
        print(f"starting again from the read model just saved ({replayed:,} events replayed), so that the workers "
              "share a compact copy of it", flush=True)
        os.environ[_STARTED_AGAIN] = "1"  # once: a model refused at the next start is replayed and served
        sys.stderr.flush()
        os.execv(sys.executable, [sys.executable, *sys.orig_argv[1:]])
    print(f"Partnership Hub on http://{args.host}:{args.port} ({args.workers} worker(s)); Ctrl+C stops it")
    HubServer(
        {
            "bind": f"{args.host}:{args.port}",
            "workers": args.workers,
            "threads": args.threads,
            "accesslog": "-" if args.access_log else None,
            "timeout": 60,
        }
    ).run()
    return 0


RESTART_AFTER = 10_000
"""Events a start replays into a read model (and saves) before ``hub serve`` starts again from the file it saved.

Why: a replay leaves its garbage between the objects of the model it builds, so a server that replayed the log
took about twice the memory of one that loaded the same model: at 99,527 events +406 MB in all against +187
(`make bench`). Starting again (the same command, in the same process) costs a load: 0.5 s at that size, 7 s at
995,974 events, where the replay took 125 s."""
_STARTED_AGAIN = "HUB_SERVE_STARTED_AGAIN"


def _starts_again(replayed: int) -> bool:
    return replayed >= RESTART_AFTER and not os.environ.get(_STARTED_AGAIN)


def prepare_read_model(url: str) -> int:
    """Load (or rebuild and save) the read model once, before the workers are forked, and hand it down:
    every worker then starts from it and shares its memory. Returns how many events were replayed into a model
    saved now (0: loaded, or not saved)."""
    from hub import ledger
    from hub.application import HubApplication
    from projections import checkpoint, collector
    from web import create_app

    # The app made once here first, on a store in memory, and thrown away: the modules, schemas and API document
    # a worker makes are then made before the read model is loaded, not in the holes its loading left. Made
    # after it, in each worker, they wrote into pages shared with the model, and each of those pages became a
    # copy of its own: at 99,527 events, two workers from the saved model took +817 MB over an empty log's, now +774.
    collector.return_large_blocks()  # inherited by the workers: what their answers free goes back to the system
    create_app({"HUB_DATABASE_URL": "memory://"})
    hub_app = HubApplication(url)
    replayed = 0

    def saved(applied: int) -> None:
        nonlocal replayed
        replayed = applied

    try:
        graph = checkpoint.start(hub_app, checkpoint.path_for(url), log=lambda line: print(line, flush=True),
                                 on_saved=saved)
        handing_down = not _starts_again(replayed)  # (a server about to start again needs nothing handed down)
        if handing_down:
            ledger.hand_down(hub_app.ledger)  # built to check the saved model against the log: the workers' too
    finally:
        hub_app.close()
    if handing_down:
        checkpoint.hand_down(url, graph)
    return replayed


def register(subparsers: Any) -> None:
    """Entry point for the ``hub`` command (group ``hub.commands``)."""
    p = subparsers.add_parser("serve", help="serve the UI and API with gunicorn")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for all)")
    p.add_argument("--port", type=int, default=5000, help="the port (default 5000)")
    p.add_argument("--workers", type=int, default=1,
                   help="gunicorn worker processes (default 1); they share one read model, loaded before they start")
    p.add_argument("--threads", type=int, default=4, help="threads per worker (default 4)")
    p.add_argument("--access-log", action="store_true", help="print one line per request")
    p.set_defaults(handler=cmd_serve)
