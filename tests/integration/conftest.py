"""One running assistant (action server + Rasa, free ports, throw-away databases) for all integration tests.

Started once per test session, because loading the model takes about a minute. At the end, any ERROR
or Traceback in either server's log fails the run: an error the user never saw is still a bug.
"""

from __future__ import annotations

import pytest

from tests.support.chat import Chat
from tests.support.stack import ROOT, Stack


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    running = Stack(tmp_path_factory.mktemp("stack")).start()
    yield running
    running.stop()
    problems = running.log_problems()
    assert not problems, "errors in the servers' logs:\n" + "\n".join(problems[:40])


@pytest.fixture
def chat(stack) -> Chat:
    return Chat(stack.rasa_url)


@pytest.fixture(scope="session")
def kb_session(stack):
    from tanya.db import session_scope

    with session_scope(stack.database_url) as session:
        yield session


@pytest.fixture(scope="session")
def project_root():
    return ROOT
