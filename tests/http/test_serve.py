"""``hub serve`` under gunicorn on a real port: the health endpoint with the sample loaded."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from web import create_app

HUB = str(Path(sys.executable).with_name("hub"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.headers["Content-Type"], response.read()


@pytest.fixture
def served(sqlite_url):
    env = {**os.environ, "HUB_DATABASE_URL": sqlite_url}
    subprocess.run([HUB, "load-sample"], env=env, check=True, capture_output=True, timeout=60)
    port = free_port()
    server = subprocess.Popen([HUB, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                get(base + "/api/health")
                break
            except OSError:
                if server.poll() is not None:
                    raise AssertionError(server.stdout.read().decode()) from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_health_answers_from_gunicorn_with_the_sample_loaded(served):
    status, content_type, body = get(served + "/api/health")
    assert status == 200 and content_type.startswith("application/json")
    assert json.loads(body) == {"status": "ok", "store": "sqlite", "events": 6}
    status, content_type, body = get(served + "/")
    assert status == 200 and "Partnership Hub" in body.decode("utf-8")


def test_the_app_factory_uses_the_configured_store(tmp_path):
    client = create_app({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}).test_client()
    assert client.get("/api/health").get_json() == {"status": "ok", "store": "sqlite", "events": 0}
