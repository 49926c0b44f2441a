"""``hub serve`` under gunicorn on a real port: the health endpoint with the sample loaded."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
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
    assert json.loads(body) == {"status": "ok", "store": "sqlite", "events": 7, "following": "polling",
                                "read_model_at": 7}
    status, content_type, body = get(served + "/")
    assert status == 200 and "Partnership Hub" in body.decode("utf-8")


def test_the_app_factory_uses_the_configured_store(tmp_path):
    client = create_app({"HUB_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}).test_client()
    assert client.get("/api/health").get_json() == {"status": "ok", "store": "sqlite", "events": 0,
                                                        "following": "polling", "read_model_at": 0}


class Broken:
    """A subscription whose connection is lost at once."""

    def __enter__(self):
        return self

    def __exit__(self, *args) -> None:
        pass

    def __iter__(self):
        return self

    def __next__(self):
        raise ConnectionError("server closed the connection unexpectedly")

    def stop(self) -> None:
        pass


def test_health_says_when_following_the_log_broke_and_requests_still_read_every_write(tmp_path, monkeypatch, caplog):
    from eventsourcing.sqlite import SQLiteApplicationRecorder

    from hub.application import HubApplication
    from hub.authorisation import Principal
    from projections import follower

    monkeypatch.setattr(follower, "can_subscribe", lambda app: True)  # as if on PostgreSQL
    monkeypatch.setattr(SQLiteApplicationRecorder, "subscribe", lambda self, gt: Broken(), raising=False)
    url = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    app = create_app({"HUB_DATABASE_URL": url})
    live = app.extensions["hub_live_graph"]
    deadline = time.monotonic() + 5
    while live.subscribed and time.monotonic() < deadline:
        time.sleep(0.02)
    client = app.test_client()
    writer = HubApplication(url)
    writer.register_organisation(by=Principal.operator("another-worker"), name="Zapisana obok", kind="ngo", region="18")
    health = client.get("/api/health").get_json()
    assert health == {"status": "degraded", "store": "sqlite", "events": 1, "following": "polling", "read_model_at": 1,
                      "problem": "the subscription to the log stopped; each request reads the log instead: "
                                 "ConnectionError: server closed the connection unexpectedly"}
    said = [r.getMessage() for r in caplog.records if r.name == "projections.follower"]
    assert said == [health["problem"]]  # said once in the server's log, not swallowed
    writer.close()


def request(method: str, url: str, token: str, body: dict | None = None) -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method, headers={
        "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, json.loads(response.read()), response.headers["X-Hub-Worker"]
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read()), error.headers["X-Hub-Worker"]


def test_a_write_to_one_worker_is_read_from_the_other(served, sqlite_url):
    env = {**os.environ, "HUB_DATABASE_URL": sqlite_url}
    created = subprocess.run([HUB, "accounts", "create", "--name", "Anna", "--role", "manager"], env=env,
                             check=True, capture_output=True, text=True, timeout=60)
    token = created.stdout.splitlines()[1].rsplit(" ", 1)[1]
    status, record, writer = request("POST", served + "/api/organisations", token,
                                      {"name": "Łódzkie Centrum Doskonalenia", "kind": "ngo", "region": "10", "city": "Łódź"})
    assert status == 201 and record["name"] == "Łódzkie Centrum Doskonalenia"
    readers = set()
    for _ in range(200):
        status, page, worker = request("GET", served + "/api/organisations?q=lodzkie", token)
        assert status == 200 and [o["id"] for o in page["items"]] == [record["id"]]
        status, graph, worker2 = request("GET", served + "/api/graph?region=10", token)
        assert [n["name"] for n in graph["nodes"]] == ["Łódzkie Centrum Doskonalenia"]
        readers |= {worker, worker2}
        if readers - {writer}:
            break
    assert readers - {writer}, "every read was answered by the writing worker; the other never showed up"


def test_a_restarted_server_starts_from_the_saved_read_model_and_its_workers_answer_as_a_rebuild(sqlite_url):
    from hub.application import HubApplication
    from projections.follower import build_graph
    from tests.projections.helpers import canonical_node_link

    env = {**os.environ, "HUB_DATABASE_URL": sqlite_url, "HUB_PUBLIC_READ": "1"}
    subprocess.run([HUB, "load-sample"], env=env, check=True, capture_output=True, timeout=60)
    said = []
    for _ in range(2):
        port = free_port()
        server = subprocess.Popen([HUB, "serve", "--port", str(port), "--workers", "2"], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        try:
            answers = []
            for _ in range(300):
                try:
                    status, _, body = get(f"http://127.0.0.1:{port}/api/graph?view=partnerships")
                    answers.append(json.loads(body))
                    if len(answers) >= 8:
                        break
                except OSError:
                    time.sleep(0.05)
        finally:
            server.terminate()
            try:
                out, _ = server.communicate(timeout=30)
            except subprocess.TimeoutExpired:  # seen once, not reproduced: keep everything it said for the reader
                server.kill()
                out, _ = server.communicate()
                pytest.fail(f"hub serve did not stop within 30 s of SIGTERM; all it said:\n{out}")
        said.append([line for line in out.splitlines() if "read model" in line])
        app = HubApplication(sqlite_url)
        expected = canonical_node_link(json.loads(build_graph(app).current_answer("partnerships").text()))
        app.close()
        assert answers and all(canonical_node_link(a) == expected for a in answers)
    model = sqlite_url.removeprefix("sqlite:///") + ".read-model"
    assert said[0] == [f"read model saved to {model} at position 7 (0 MB)"]
    assert len(said[1]) == 1 and said[1][0].startswith(f"read model loaded from {model} at position 7 in ")


def test_a_server_that_replayed_a_long_log_starts_again_from_the_model_it_saved(sqlite_url):
    """A replay leaves its garbage among the model's objects (at 99,527 events a server took twice the memory of one
    loading the same model): after replaying and saving a long log the server starts again, once, from the file,
    and answers as a rebuild."""
    from hub.application import HubApplication
    from hub.synthetic import generate
    from projections.follower import build_graph
    from tests.projections.helpers import canonical_node_link
    from web.serve import RESTART_AFTER

    app = HubApplication(sqlite_url)
    generate(app, partnerships=850, organisations=2550, meetings=1275, exchanges=2550, seed=2)
    events = app.log_length()
    expected = canonical_node_link(json.loads(build_graph(app).current_answer("partnerships").text()))
    app.close()
    assert events >= RESTART_AFTER
    env = {**os.environ, "HUB_DATABASE_URL": sqlite_url, "HUB_PUBLIC_READ": "1"}
    port = free_port()
    server = subprocess.Popen([HUB, "serve", "--port", str(port), "--workers", "2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    answer = None
    try:
        for _ in range(1200):
            try:
                answer = json.loads(get(f"http://127.0.0.1:{port}/api/graph?view=partnerships")[2])
                break
            except OSError:
                if server.poll() is not None:
                    break
                time.sleep(0.05)
    finally:
        server.terminate()
        out, _ = server.communicate(timeout=30)
    model = sqlite_url.removeprefix("sqlite:///") + ".read-model"
    said = [line for line in out.splitlines() if "read model" in line]
    assert said[0].startswith(f"read model saved to {model} at position {events:,} ")
    assert said[1] == (f"starting again from the read model just saved ({events:,} events replayed), so that the "
                       "workers share a compact copy of it")
    assert said[2].startswith(f"read model loaded from {model} at position {events:,} in ") and len(said) == 3
    assert answer is not None and canonical_node_link(answer) == expected
