"""Numbers printed by `make eval` and `make bench`, checked against hand-computed values."""

import asyncio
import socket
import sys
from pathlib import Path

import pytest
from aiohttp import web

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "scripts"))
from bench_stats import BenchResult, is_loopback_url, percentile, summarise  # noqa: E402


def test_overlap_is_the_word_set_jaccard_and_finds_the_closest_training_example():
    from nlu_data import jaccard, largest_overlaps, words

    assert words("Cara daftar BPU, cara?") == frozenset({"cara", "daftar", "bpu"})
    assert jaccard(words("daftar bpu"), words("daftar pmi")) == pytest.approx(1 / 3)
    assert jaccard(frozenset(), frozenset()) == 0.0
    closest = largest_overlaps(["syarat daftar bpu", "halo"], ["syarat daftar pmi", "apa kabar"], top=1)
    assert [(o.score, o.heldout, o.training) for o in closest] == [(0.5, "syarat daftar bpu", "syarat daftar pmi")]


def test_percentiles_and_summary():
    values = [0.1 * n for n in range(1, 101)]  # 0.1 .. 10.0 s
    assert percentile(values, 0.5) == pytest.approx(5.0)
    assert percentile(values, 0.95) == pytest.approx(9.5)
    assert percentile([], 0.5) == 0.0
    result = BenchResult(latencies=[0.1, 0.2, 0.3], http_errors=1, timeouts=1, duration=2.0)
    summary = summarise(result)
    assert summary["requests"] == 5 and summary["errors"] == 2 and summary["throughput_rps"] == 2.5


@pytest.mark.parametrize(
    "url, ok",
    [
        ("http://localhost:5005/webhooks/rest/webhook", True),
        ("http://127.0.0.1:5005/x", True),
        ("http://[::1]:5005/x", True),
        ("http://10.0.0.5:5005/x", False),
        ("https://example.com/x", False),
    ],
)
def test_only_loopback_targets(url, ok):
    assert is_loopback_url(url) == ok


def test_bench_counts_requests_and_errors_against_a_fake_server():
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("bench", Path(__file__).resolve().parents[3] / "scripts" / "bench.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    calls = {"n": 0}

    async def webhook(request):
        calls["n"] += 1
        if calls["n"] % 5 == 0:
            return web.Response(status=500)
        return web.json_response([{"recipient_id": "x", "text": "ok"}])

    async def scenario():
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        try:
            return await bench.run(f"http://127.0.0.1:{port}/webhooks/rest/webhook", 3, 1.0, 5, ("halo",))
        finally:
            await runner.cleanup()

    result = asyncio.run(scenario())
    summary = summarise(result)
    assert summary["requests"] == calls["n"] > 0
    assert result.http_errors == calls["n"] // 5
