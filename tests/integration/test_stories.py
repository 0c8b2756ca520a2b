"""The test stories (tests/conversations): intents, entities and next actions in both languages,
predicted by the trained model with the session's real action server."""

import subprocess

from tests.support.stack import ROOT


def test_every_test_story_is_predicted_exactly(stack, tmp_path):
    result = subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "rasa"), "test", "core",
            "--model", "models/current.tar.gz",
            "--stories", "tests/conversations",
            "--endpoints", "endpoints.yml",
            "--out", str(tmp_path),
            "--fail-on-prediction-errors",
            "--quiet",
        ],
        cwd=ROOT, env=stack.env, capture_output=True, text=True, timeout=1200,
    )
    failed = tmp_path / "failed_test_stories.yml"
    details = failed.read_text() if failed.exists() else result.stdout[-4000:] + result.stderr[-4000:]
    assert result.returncode == 0, f"test stories failed:\n{details}"
