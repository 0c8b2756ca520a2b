"""Numbers for scripts/bench.py and bench_compare.py: percentiles, error totals, the loopback-only target
policy. Benchmark tooling, not part of the assistant: it lives beside the scripts that use it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from typing import Dict, List
from urllib.parse import urlparse

import numpy


@dataclass
class BenchResult:
    latencies: List[float] = field(default_factory=list)  # seconds, answered requests
    http_errors: int = 0
    timeouts: int = 0
    connection_errors: int = 0
    empty_replies: int = 0  # 200 with no bot message: a silent non-answer
    duration: float = 0.0


def percentile(values: List[float], fraction: float) -> float:
    """Nearest-rank percentile (0 for no values): numpy's inverted-CDF method."""
    if not values:
        return 0.0
    return float(numpy.percentile(values, fraction * 100, method="inverted_cdf"))


def summarise(result: BenchResult) -> Dict[str, float]:
    errors = result.http_errors + result.timeouts + result.connection_errors + result.empty_replies
    requests = len(result.latencies) - result.empty_replies + errors
    return {
        "duration_s": result.duration,
        "requests": requests,
        "errors": errors,
        "throughput_rps": requests / result.duration if result.duration else 0.0,
        "p50_ms": percentile(result.latencies, 0.50) * 1000,
        "p95_ms": percentile(result.latencies, 0.95) * 1000,
        "p99_ms": percentile(result.latencies, 0.99) * 1000,
        "max_ms": max(result.latencies, default=0.0) * 1000,
    }


def is_loopback_url(url: str) -> bool:
    host = urlparse(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
