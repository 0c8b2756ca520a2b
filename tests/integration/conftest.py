"""One running assistant (action server + Rasa, free ports, throw-away databases) for all integration tests.

Started once per test session, because loading the model takes about a minute. At the end, any ERROR
or Traceback in either server's log fails the run: an error the user never saw is still a bug.
"""

from __future__ import annotations

import pytest

from tests.support.chat import Chat
from tests.support.stack import ROOT, Stack


@pytest.fixture(scope="session")
def fakes():
    """The fake external services (tests/fakes), running before the assistant that uses them."""
    from tests.fakes import start_all

    running = start_all()
    yield running
    for fake in running.values():
        fake.stop()


@pytest.fixture(scope="session")
def stack(tmp_path_factory, fakes):
    env = {"WEB_PORT": "8080"}  # the sockets here send Origin http://localhost:8080, the default demo page
    for fake in fakes.values():
        env.update(fake.env)
    running = Stack(tmp_path_factory.mktemp("stack"), extra_env=env).start()
    yield running
    running.stop()
    problems = running.log_problems()
    assert not problems, "errors in the servers' logs:\n" + "\n".join(problems[:40])


@pytest.fixture
def chat(stack) -> Chat:
    return Chat(stack.rasa_url)


@pytest.fixture(scope="session")
def kb(stack):
    """The knowledge the session's assistant answers from (expected facts are read from it)."""
    from tanya.knowledge import repository

    return repository.current(stack.database_url)


@pytest.fixture(scope="session")
def project_root():
    return ROOT
