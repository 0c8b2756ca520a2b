"""The supervisord configuration `make run` runs its processes under (scripts/run.sh writes it at each start).

    .venv/bin/python scripts/supervisor_config.py --run-dir DIR --rasa-port 5005 --actions-port 5055 \\
        --web-port 8080 [--dashboard] [--log-dir DIR]

writes DIR/supervisord.conf, creates the log folder (TANYA_LOG_DIR, default .data/logs) and prints its
path, for run.sh's banner.

One process dying must not take the others down, and must come back by itself. The policy, the same
for every program:
- a process that dies is started again (autorestart). One that had stayed up for its `startsecs` is
  started again at once; one that dies sooner is a failed start, and supervisord waits 1 s longer after
  each failed start in a row (1 s, 2 s, 3 s, ...), so a crash loop never spins and the delay keeps growing
  while the cause lasts (after an hour of failures it tries about every 85 s).
- supervisord gives a program up (FATAL) after `startretries` failed starts in a row: START_RETRIES is so
  many that it never happens (it would take months at the growing delay). A FATAL action server or Rasa
  would leave the service down for good.
- every log is appended (a restart never truncates it) and rotated at LOG_MAX_BYTES, keeping LOG_BACKUPS
  old files (name.log.1 ...).
- Ctrl-C (SIGINT/SIGTERM to supervisord) stops the programs in the reverse of their start order, each
  with its whole process group, with SIGKILL for what is still there after STOP_WAIT_SECONDS.
- no environment is written here: the programs inherit run.sh's (scripts/lib.sh, .keys/dev.env), so no
  secret ends up in a file.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Sequence

ROOT = Path(__file__).resolve().parent.parent

LOG_MAX_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5
START_RETRIES = 100_000
STOP_WAIT_SECONDS = 15
CONFIG_NAME = "supervisord.conf"


@dataclass(frozen=True)
class Program:
    name: str  # also the name of its log file, <name>.log
    command: Sequence[str]
    # How long it must stay up for its start to count as a success; dying sooner backs off. Longer than
    # the program's own start-up, so a crash while it loads is a failed start, not an instant restart.
    startsecs: int
    priority: int  # lower starts first and stops last


def assistant_programs(python: str, rasa_port: int, actions_port: int, web_port: int, dashboard: bool) -> List[Program]:
    """What `make run` runs: the action server, Rasa, the demo website and, with its token, the dashboard."""
    programs = [
        # Rasa calls the action server from its first turn: it starts first and stops last.
        Program("actions", [python, "-m", "tanya.action_server", "--port", str(actions_port)], startsecs=15,
                priority=100),
        # Rasa needs one to two minutes to load its model on 2 cores.
        Program("rasa", [python, "-m", "tanya.server", "--model", "models/current.tar.gz", "--port", str(rasa_port)],
                startsecs=120, priority=200),
        Program("web", [python, "scripts/serve_web.py", "--port", str(web_port),
                        "--server-url", f"http://localhost:{rasa_port}"], startsecs=3, priority=300),
    ]
    if dashboard:  # never open: it runs only with a staff token (docs/analytics.md)
        programs.append(Program("dashboard", [python, "-m", "tanya.dashboard"], startsecs=10, priority=300))
    return programs


def _value(text: object) -> str:
    # supervisord expands %(name)s in its values: a literal % must be doubled.
    return str(text).replace("%", "%%")


def render(programs: Sequence[Program], run_dir: Path, log_dir: Path, directory: Path = ROOT,
           log_max_bytes: int = LOG_MAX_BYTES, log_backups: int = LOG_BACKUPS) -> str:
    """The configuration file's text; paths should be absolute (supervisord does not resolve them)."""
    lines = [
        "; Written by scripts/supervisor_config.py at each `make run`; edit that file, not this one.",
        "[supervisord]",
        "nodaemon=true",  # in the foreground of `make run`: Ctrl-C reaches it, its log lines reach the terminal
        f"logfile={_value(log_dir / 'supervisord.log')}",
        f"logfile_maxbytes={log_max_bytes}",
        f"logfile_backups={log_backups}",
        f"pidfile={_value(run_dir / 'supervisord.pid')}",
        f"childlogdir={_value(run_dir)}",
        f"directory={_value(directory)}",
    ]
    if os.geteuid() == 0:
        lines.append("user=root")  # says so, instead of a CRIT "running as root" line at every start
    for program in programs:
        if any("\n" in part for part in program.command):
            raise ValueError(f"{program.name}: a command line of supervisord cannot hold a line break")
        log = _value(log_dir / f"{program.name}.log")
        lines += [
            "",
            f"[program:{program.name}]",
            f"command={_value(shlex.join(program.command))}",
            f"directory={_value(directory)}",
            f"priority={program.priority}",
            "autostart=true",
            "autorestart=true",
            f"startsecs={program.startsecs}",
            f"startretries={START_RETRIES}",
            "stopsignal=TERM",
            f"stopwaitsecs={STOP_WAIT_SECONDS}",
            "stopasgroup=true",
            "killasgroup=true",
            "redirect_stderr=true",
            f"stdout_logfile={log}",
            f"stdout_logfile_maxbytes={log_max_bytes}",
            f"stdout_logfile_backups={log_backups}",
            'environment=PYTHONUNBUFFERED="1"',  # a log line is in the file when it is written, not at exit
        ]
    return "\n".join(lines) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    from tanya.settings import get_settings

    parser = argparse.ArgumentParser(description="Write the supervisord configuration of `make run`.")
    parser.add_argument("--run-dir", type=Path, required=True, help=f"where {CONFIG_NAME} and the pid file go")
    parser.add_argument("--log-dir", type=Path, help="default: TANYA_LOG_DIR, else .data/logs")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--rasa-port", type=int, required=True)
    parser.add_argument("--actions-port", type=int, required=True)
    parser.add_argument("--web-port", type=int, required=True)
    parser.add_argument("--dashboard", action="store_true", help="also run the staff dashboard")
    args = parser.parse_args(argv)
    run_dir = args.run_dir.resolve()
    log_dir = (args.log_dir or get_settings().logs_path).resolve()
    log_dir.mkdir(parents=True, exist_ok=True)  # supervisord does not create it
    programs = assistant_programs(args.python, args.rasa_port, args.actions_port, args.web_port, args.dashboard)
    (run_dir / CONFIG_NAME).write_text(render(programs, run_dir, log_dir), encoding="utf-8")
    print(log_dir)
    return 0


if __name__ == "__main__":
    sys.exit(main())
