"""Fixtures of the journey suite: the act kit (once per session), a fake GitHub and a Hub per test.

A journey test needs ../shared/github-actions (the pinned actions) and the act
program: without them it skips in a plain clone and fails under CI=true
(``need_system``, as for the other system parts).
"""

from __future__ import annotations

import pytest
from pytest_httpserver import HTTPServer

from act_support import TOKEN, Hub, Kit
from servers import need_system  # tests/conftest.py, as servers.py imported it (this file is also "conftest")
from gh_support import FakeGitHub


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/journey/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.journey)


@pytest.fixture(scope="session")
def act_kit(tmp_path_factory) -> Kit:
    try:
        return Kit.build(tmp_path_factory.mktemp("act-kit"))
    except LookupError as exc:
        need_system(str(exc))


@pytest.fixture
def fake_github():
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield FakeGitHub(server, token=TOKEN)
    finally:
        server.clear()
        if server.is_running():
            server.stop()


@pytest.fixture
def hub(act_kit, fake_github, tmp_path) -> Hub:
    return Hub(act_kit, tmp_path, fake_github)
