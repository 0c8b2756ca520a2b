"""One process dying does not take the service down: `make run`'s processes run under supervisord.

The first tests run supervisord itself with the configuration scripts/supervisor_config.py renders, on
toy programs (seconds): a killed program comes back while its neighbour keeps running, logs are appended
and rotated, a crash loop backs off with a growing delay and is never given up, and stopping leaves no
process. Then the real run script (scripts/run.sh: setup, then action server, Rasa, the demo website and
the dashboard) on free ports with throw-away databases and a temporary log folder: the action server and
then Rasa are SIGKILLed and the test prints how long each took to come back; SIGTERM to run.sh and Ctrl-C
to `make run` stop everything; a port already in use is refused before anything starts.

Every process a test starts carries a marker in its environment, inherited by all its descendants: that
is how the tests find the processes (and prove none is left), whatever their process group.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Callable, Dict, Iterator, List, Optional

from tests.support.chat import post
from tests.support.stack import PROBLEM, ROOT, free_port

sys.path.insert(0, str(ROOT / "scripts"))
import supervisor_config  # noqa: E402
from supervisor_config import Program, render  # noqa: E402

SUPERVISORD = str(ROOT / ".venv" / "bin" / "supervisord")
MARKER = "TANYA_SUPERVISION_TEST"


# -- finding the processes a test started ------------------------------------------------------------
def marked_processes(marker: str) -> Dict[int, str]:
    """pid -> command line of every live process whose environment carries MARKER=marker."""
    wanted = f"{MARKER}={marker}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if wanted not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            if state != "Z":  # a zombie is already dead, only not yet reaped by its parent
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # it ended while we looked
            continue
    return found


def pid_of(marker: str, needle: str) -> Optional[int]:
    """The one marked process whose command line contains `needle` (None when there is none)."""
    pids = [pid for pid, command in marked_processes(marker).items() if needle in command]
    assert len(pids) <= 1, f"several processes match {needle!r}: {pids}"
    return pids[0] if pids else None


def kill_marked(marker: str) -> None:
    """Clean-up after a failed test: nothing it started may outlive it."""
    for pid in marked_processes(marker):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def wait_for(condition: Callable[[], object], seconds: float, what: str, step: float = 0.2):
    """The first truthy value of `condition()` within `seconds`, else a failure naming `what`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


def marked_env(marker: str, **extra: str) -> Dict[str, str]:
    return {**os.environ, MARKER: marker, **extra}


# -- supervisord's policy, on toy programs --------------------------------------------------------------
def start_supervisord(tmp_path: Path, programs: List[Program], marker: str, **render_options) -> subprocess.Popen:
    run_dir, log_dir = tmp_path / "run", tmp_path / "logs"
    run_dir.mkdir()
    log_dir.mkdir(exist_ok=True)
    config = run_dir / "supervisord.conf"
    config.write_text(render(programs, run_dir, log_dir, directory=tmp_path, **render_options))
    return subprocess.Popen([SUPERVISORD, "-c", str(config)], env=marked_env(marker), cwd=tmp_path,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def stop_supervisord(supervisord: subprocess.Popen, marker: str) -> None:
    supervisord.send_signal(signal.SIGTERM)
    supervisord.wait(timeout=60)
    wait_for(lambda: not marked_processes(marker), 10, "every supervised process ended")


def toy(tmp_path: Path, name: str, code: str) -> List[str]:
    """The command line of a small Python program (supervisord's command lines hold no line breaks)."""
    script = tmp_path / f"{name}.py"
    script.write_text(code)
    return [sys.executable, str(script)]


CHATTY = "import sys, time\nwhile True:\n    print('x' * 99, flush=True)\n    time.sleep(0.002)\n"
QUIET = "import time\ntime.sleep(3600)\n"


def test_a_killed_program_comes_back_its_neighbour_stays_and_logs_are_appended_and_rotated(tmp_path):
    marker = uuid.uuid4().hex
    log_dir = tmp_path / "logs"
    log_dir.mkdir()
    (log_dir / "quiet.log").write_text("marker: written before supervisord started\n")
    programs = [Program("chatty", toy(tmp_path, "chatty", CHATTY), startsecs=1, priority=100),
                Program("quiet", toy(tmp_path, "quiet", QUIET), startsecs=1, priority=200)]
    supervisord = start_supervisord(tmp_path, programs, marker, log_max_bytes=20_000, log_backups=2)
    try:
        chatty = wait_for(lambda: pid_of(marker, "chatty.py"), 20, "the chatty program runs")
        quiet = wait_for(lambda: pid_of(marker, "quiet.py"), 20, "the quiet program runs")
        time.sleep(2)  # past startsecs: RUNNING, so a death now is a crash of a healthy process

        killed_at = time.monotonic()
        os.kill(chatty, signal.SIGKILL)
        again = wait_for(lambda: (pid_of(marker, "chatty.py") or chatty) != chatty and pid_of(marker, "chatty.py"),
                         10, "the killed program started again")
        print(f"\ntoy program back {time.monotonic() - killed_at:.1f} s after SIGKILL (pid {chatty} -> {again})")
        assert pid_of(marker, "quiet.py") == quiet, "its neighbour was restarted too"

        wait_for(lambda: (log_dir / "chatty.log.2").exists(), 20, "the chatty log rotated twice")
        time.sleep(1)
        logs = sorted(path.name for path in log_dir.glob("chatty.log*"))
        assert logs == ["chatty.log", "chatty.log.1", "chatty.log.2"], f"{logs}: backups beyond the limit were kept"
        assert all((log_dir / name).stat().st_size <= 20_000 + 200 for name in logs), "a log grew past its limit"
        assert (log_dir / "quiet.log").read_text().startswith("marker: written before"), "a start truncated the log"
    finally:
        try:
            stop_supervisord(supervisord, marker)
        finally:
            kill_marked(marker)


CRASH_AT_ONCE = "import sys, time\nopen(sys.argv[1], 'a').write(f'{time.time()}\\n')\nsys.exit(3)\n"


def test_a_crash_loop_backs_off_with_a_growing_delay_and_is_never_given_up(tmp_path):
    marker = uuid.uuid4().hex
    starts = tmp_path / "starts.txt"
    # startsecs well above supervisord's 1 s tick: a start only counts as failed when the exit is seen
    # before startsecs have passed.
    programs = [Program("crasher", [*toy(tmp_path, "crasher", CRASH_AT_ONCE), str(starts)], startsecs=3, priority=100)]
    supervisord = start_supervisord(tmp_path, programs, marker)
    try:
        # supervisord's default (3 retries) would have given up after the 4th failed start.
        wait_for(lambda: starts.exists() and len(starts.read_text().split()) >= 6, 60, "six failed starts")
        times = [float(value) for value in starts.read_text().split()]
        gaps = [later - earlier for earlier, later in zip(times, times[1:])]
        print("\ndelays between the starts of a program that dies at once: " + ", ".join(f"{gap:.1f} s" for gap in gaps))
        assert min(gaps) >= 0.9, f"a crash loop restarted without a pause: {gaps}"
        assert gaps[-1] >= gaps[0] + 2, f"the delay does not grow: {gaps}"
        assert supervisord.poll() is None
        assert "gave up" not in (tmp_path / "logs" / "supervisord.log").read_text(), "the program was given up (FATAL)"
    finally:
        try:
            stop_supervisord(supervisord, marker)
        finally:
            kill_marked(marker)


def test_every_program_is_restarted_unconditionally_and_effectively_forever():
    """What the toy tests cannot wait for: the assistant's real programs are never given up."""
    programs = supervisor_config.assistant_programs("python", 1, 2, 3, dashboard=True)
    assert [program.name for program in programs] == ["actions", "rasa", "web", "dashboard"]
    text = render(programs, Path("/run"), Path("/logs"))
    for program in programs:
        section = text.split(f"[program:{program.name}]", 1)[1].split("[program:", 1)[0]
        assert "autorestart=true" in section
        # the sum 1 + 2 + ... + n of the back-off delays before supervisord would give up: over a month
        retries = int(section.split("startretries=", 1)[1].split()[0])
        assert retries * (retries + 1) / 2 > 31 * 24 * 3600


# -- the real run script ----------------------------------------------------------------------------------
def http_status(url: str, timeout: float = 5) -> Optional[int]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:
        return None


def polite_failure_texts() -> List[str]:
    from tanya import messages

    return [messages.text("reply_failed", language) for language in ("id", "en")]


def ask(rasa_url: str, sender: str, message: str) -> Optional[List[str]]:
    """The reply texts to one REST message (an assertion error for anything but HTTP 200); None while
    nothing listens."""
    try:
        status, replies = post(f"{rasa_url}/webhooks/rest/webhook", json.dumps({"sender": sender, "message": message}).encode(),
                               timeout=60)
    except OSError:
        return None
    assert status == 200, f"HTTP {status}: {replies}"
    assert isinstance(replies, list) and replies, f"an empty answer: {replies!r}"
    texts = [reply.get("text", "") for reply in replies]
    assert all(text.strip() for text in texts), f"an empty text in {replies!r}"
    return texts


QUESTION = "gimana cara daftar BPU?"


@contextlib.contextmanager
def running_assistant(tmp_path: Path, command: List[str]) -> Iterator[Dict]:
    """`command` (scripts/run.sh or make run) on free ports, throw-away databases and a temporary log
    folder (never .data), with the dashboard; what the test needs to reach it. Nothing it started
    outlives it."""
    marker = uuid.uuid4().hex
    ports = {"RASA_PORT": free_port(), "ACTIONS_PORT": free_port(), "WEB_PORT": free_port(),
             "TANYA_DASHBOARD_PORT": free_port()}
    log_dir, tmp_dir = tmp_path / "logs", tmp_path / "tmp"
    log_dir.mkdir()
    tmp_dir.mkdir()
    for name in ("actions", "rasa"):
        (log_dir / f"{name}.log").write_text(f"marker {marker}: this line was here before make run\n")
    env = marked_env(
        marker,
        **{name: str(port) for name, port in ports.items()},
        DATABASE_URL=f"sqlite:///{tmp_path / 'tanya.db'}",
        TRACKER_DATABASE_URL=f"sqlite:///{tmp_path / 'tracker.db'}",
        TANYA_LOG_DIR=str(log_dir),
        TANYA_DASHBOARD_TOKEN="supervision-test-staff-token",
        TMPDIR=str(tmp_dir),  # where run.sh keeps supervisord's configuration
    )
    for name in ("ACTION_ENDPOINT_URL", "TANYA_DASHBOARD_HOST"):
        env.pop(name, None)
    output = tmp_path / "run.out"
    with open(output, "w") as handle:
        # A session of its own, like a terminal's: Ctrl-C is SIGINT to this process group.
        run = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
                               start_new_session=True)
    started = time.monotonic()
    try:
        wait_for(lambda: "TanyaBPJAMSOSTEK is running." in output.read_text() or run.poll() is not None,
                 900, "make run's banner", step=1)
        assert run.poll() is None, f"{command} exited with {run.returncode}"
        print(f"\n{' '.join(command)} (setup included) running after {time.monotonic() - started:.0f} s")
        yield {
            "run": run, "marker": marker, "log_dir": log_dir, "tmp_dir": tmp_dir, "banner": output.read_text(),
            "rasa_url": f"http://127.0.0.1:{ports['RASA_PORT']}",
            "actions_health": f"http://127.0.0.1:{ports['ACTIONS_PORT']}/health",
            "web_url": f"http://127.0.0.1:{ports['WEB_PORT']}/",
            "dashboard_url": f"http://127.0.0.1:{ports['TANYA_DASHBOARD_PORT']}/",
        }
    finally:
        if run.poll() is None:
            run.send_signal(signal.SIGTERM)
            try:
                run.wait(timeout=90)
            except subprocess.TimeoutExpired:
                pass
        kill_marked(marker)
        print(f"-- {' '.join(command)} output (tail) --\n" + output.read_text(errors="replace")[-2500:])


def assert_everything_stopped(assistant: Dict, signalled_at: float, what: str) -> None:
    assistant["run"].wait(timeout=90)
    wait_for(lambda: not marked_processes(assistant["marker"]), 10, "every process of make run ended")
    print(f"make run stopped {time.monotonic() - signalled_at:.1f} s after {what}; no process left")
    assert not list(assistant["tmp_dir"].glob("tanya-run.*")), "run.sh left its supervisord folder behind"


def problems_apart_from_the_outage(log: Path) -> List[str]:
    """ERROR/Traceback lines of a log, without Rasa's report of the custom action it could not call while
    the action server was down (what staff need to see; the user got the polite answer)."""
    problems, in_outage_report = [], False
    for line in log.read_text(errors="replace").splitlines():
        if "Failed to run custom action" in line or "Encountered an exception while running action" in line:
            in_outage_report = True
            continue
        if in_outage_report and (line.startswith((" ", "\t", "Traceback", "During handling", "rasa.", "aiohttp.",
                                                  "ConnectionRefusedError", "OSError", "The above exception"))
                                 or not line.strip()):
            continue
        in_outage_report = False
        if PROBLEM.search(line):
            problems.append(line)
    return problems


def test_killing_the_action_server_or_rasa_under_make_run_leaves_the_rest_answering(tmp_path):
    with running_assistant(tmp_path, [str(ROOT / "scripts" / "run.sh")]) as assistant:
        check_recovery(assistant)


def check_recovery(assistant: Dict) -> None:
    marker, rasa_url, log_dir = assistant["marker"], assistant["rasa_url"], assistant["log_dir"]
    run: subprocess.Popen = assistant["run"]
    failure_texts = polite_failure_texts()

    def real_answer(sender: str) -> Optional[List[str]]:
        texts = ask(rasa_url, sender, QUESTION)
        return texts if texts and not any(text in failure_texts for text in texts) else None

    assert f"Logs:      {log_dir}/{{actions,rasa,web,dashboard}}.log" in assistant["banner"]
    assert real_answer("supervision-before"), "no real answer once make run said it is running"
    assert http_status(assistant["web_url"]) == 200
    assert http_status(assistant["dashboard_url"] + "login") == 200, "the dashboard (TANYA_DASHBOARD_TOKEN set) is not up"

    # 1. The action server dies: Rasa keeps answering, politely; the action server comes back.
    actions = pid_of(marker, "tanya.action_server")
    rasa = pid_of(marker, "tanya.server ")
    killed_at = time.monotonic()
    os.kill(actions, signal.SIGKILL)
    outage_replies = []
    while http_status(assistant["actions_health"], timeout=2) != 200:
        assert time.monotonic() - killed_at < 120, "the action server did not come back within 120 s"
        texts = ask(rasa_url, f"supervision-outage-{len(outage_replies)}", QUESTION)
        assert texts is not None, "Rasa stopped answering while the action server was down"
        outage_replies.append(texts)
    actions_back = time.monotonic() - killed_at
    assert any(text in failure_texts for texts in outage_replies for text in texts), (
        f"the outage was never seen by a user (replies: {outage_replies})")
    wait_for(lambda: real_answer("supervision-after-actions"), 60, "a real answer after the action server's restart")
    answers_back = time.monotonic() - killed_at
    print(f"action server SIGKILLed: /health again after {actions_back:.1f} s, real answers after {answers_back:.1f} s; "
          f"{len(outage_replies)} polite replies (HTTP 200) meanwhile")
    assert pid_of(marker, "tanya.action_server") not in (None, actions)
    assert pid_of(marker, "tanya.server ") == rasa, "Rasa was restarted with the action server"

    # 2. Rasa dies: the website (and the action server) stay up; Rasa comes back.
    killed_at = time.monotonic()
    os.kill(rasa, signal.SIGKILL)
    web_checks = 0
    while ask(rasa_url, "supervision-probe", "halo") is None:
        assert time.monotonic() - killed_at < 600, "Rasa did not come back within 600 s"
        assert http_status(assistant["web_url"]) == 200, "the website went down with Rasa"
        assert http_status(assistant["actions_health"]) == 200, "the action server went down with Rasa"
        web_checks += 1
        time.sleep(1)
    rasa_back = time.monotonic() - killed_at
    wait_for(lambda: real_answer("supervision-after-rasa"), 60, "a real answer after Rasa's restart")
    print(f"Rasa SIGKILLed: REST answering again after {rasa_back:.1f} s (model load included); "
          f"the website answered all {web_checks} checks meanwhile")
    assert pid_of(marker, "tanya.server ") not in (None, rasa)

    # 3. The logs were appended, across the restarts too.
    for name, started_line in (("actions", "Action server on http://"), ("rasa", "Starting the Rasa server on http://")):
        text = (log_dir / f"{name}.log").read_text(errors="replace")
        assert text.startswith(f"marker {marker}: this line was here before make run"), f"{name}.log was truncated"
        assert text.count(started_line) >= 2, f"{name}.log lacks the first start or the restart"
    for name in ("actions", "web", "dashboard"):
        assert not problems_apart_from_the_outage(log_dir / f"{name}.log"), f"errors in {name}.log"
    assert not problems_apart_from_the_outage(log_dir / "rasa.log"), "errors in rasa.log beyond the outage's report"

    # 4. SIGTERM to make run (what make passes on to it) stops everything.
    signalled_at = time.monotonic()
    run.send_signal(signal.SIGTERM)
    assert_everything_stopped(assistant, signalled_at, "SIGTERM")


def test_ctrl_c_to_make_run_stops_everything(tmp_path):
    with running_assistant(tmp_path, ["make", "--no-print-directory", "run"]) as assistant:
        assert ask(assistant["rasa_url"], "supervision-ctrl-c", QUESTION)
        signalled_at = time.monotonic()
        os.killpg(assistant["run"].pid, signal.SIGINT)  # what the terminal does on Ctrl-C
        assert_everything_stopped(assistant, signalled_at, "Ctrl-C")


def test_make_run_refuses_a_port_already_in_use_before_starting_anything(tmp_path):
    """Otherwise its program would fail at every restart while the health checks reached the other process."""
    marker = uuid.uuid4().hex
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = marked_env(marker, RASA_PORT=str(port), ACTIONS_PORT=str(free_port()),
                         WEB_PORT=str(free_port()), TANYA_LOG_DIR=str(tmp_path / "logs"), TMPDIR=str(tmp_path),
                         # never the developer's databases, should it go on to set up after all
                         DATABASE_URL=f"sqlite:///{tmp_path / 'tanya.db'}",
                         TRACKER_DATABASE_URL=f"sqlite:///{tmp_path / 'tracker.db'}")
        try:
            result = subprocess.run([str(ROOT / "scripts" / "run.sh")], cwd=ROOT, env=env, capture_output=True,
                                    text=True, timeout=60)
        finally:
            kill_marked(marker)
    assert result.returncode != 0
    assert f"port {port} is already in use" in result.stderr
    assert "Installing" not in result.stdout and not (tmp_path / "logs").exists(), "it started setting up first"
    assert not marked_processes(marker)
