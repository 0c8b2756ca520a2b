"""Run the independent end-to-end evaluation (../shared/eval) against a freshly started assistant.

    .venv/bin/python scripts/eval_e2e.py [--base URL] [--eval-dir ../shared/eval] [-- runner options]

Without --base it starts the action server and Rasa on free ports with throw-away databases
(tests/support/stack.py), runs the evaluation's runner, prints its per-topic table and summary, and
stops them. With --base it evaluates an assistant that is already running.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tanya.settings import get_settings  # noqa: E402
from tests.support.stack import Stack  # noqa: E402


def run_eval(base: str, eval_dir: Path, extra: list) -> int:
    runner = eval_dir / "run_eval.py"
    if not runner.exists():
        print(f"{runner} not found: the evaluation set lives in ../shared/eval beside the repository.", file=sys.stderr)
        return 2
    return subprocess.call([sys.executable, str(runner), "--base", base, *extra], cwd=ROOT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="URL of a running assistant (default: start one)")
    parser.add_argument("--eval-dir", type=Path, default=ROOT.parent / "shared" / "eval")
    args, extra = parser.parse_known_args(argv)
    extra = [item for item in extra if item != "--"]
    if args.base:
        return run_eval(args.base, args.eval_dir, extra)
    with tempfile.TemporaryDirectory(prefix="tanya-eval-") as workdir:
        stack = Stack(Path(workdir)).start()
        try:
            code = run_eval(stack.rasa_url, args.eval_dir, extra)
        finally:
            stack.stop()
        logs = get_settings().logs_path  # next to make run's logs (TANYA_LOG_DIR)
        logs.mkdir(parents=True, exist_ok=True)
        for server in (stack.actions, stack.rasa):
            (logs / f"eval-{server.name}.log").write_text(server.log.read_text(errors="replace"))
        problems = stack.log_problems()
        if problems:
            print("Errors in the servers' logs during the evaluation:", *problems[:20], sep="\n", file=sys.stderr)
            return code or 1
    return code


if __name__ == "__main__":
    sys.exit(main())
