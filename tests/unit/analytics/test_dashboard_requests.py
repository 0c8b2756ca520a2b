"""The dashboard's reading of a request: its real client address and whether its own page sent it."""

import pytest

from tanya.dashboard.requests import client_address, same_origin, trusted_networks

PROXIES = trusted_networks("10.0.0.0/8, 192.0.2.1")


@pytest.mark.parametrize("peer, forwarded, expected", [
    ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not from a proxy: the header is anyone's
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the left part was written by the client
    ("10.0.0.2", "198.51.100.1, 192.0.2.1", "198.51.100.1"),  # two proxies of ours
    ("10.0.0.2", None, "10.0.0.2"),
    ("10.0.0.2", "10.1.1.1", "10.1.1.1"),  # only proxies: the furthest
    ("10.0.0.2", "garbage", "garbage"),
    (None, None, "-"),
])
def test_the_client_address(peer, forwarded, expected):
    assert client_address(peer, forwarded, PROXIES) == expected


def test_a_bad_proxy_list_is_named():
    with pytest.raises(ValueError, match="not-an-ip"):
        trusted_networks("10.0.0.1, not-an-ip")
    assert trusted_networks("") == []


@pytest.mark.parametrize("headers, allowed", [
    ({"Sec-Fetch-Site": "same-origin"}, True),
    ({"Sec-Fetch-Site": "none"}, True),
    ({"Sec-Fetch-Site": "same-site", "Origin": "http://dash.example"}, False),
    ({"Sec-Fetch-Site": "cross-site"}, False),
    ({"Origin": "http://dash.example"}, True),
    ({"Origin": "https://dash.example"}, True),  # TLS ended at the proxy: the host is what counts
    ({"Origin": "http://dash.example.evil.org"}, False),
    ({"Origin": "null"}, False),
    ({}, False),
])
def test_same_origin(headers, allowed):
    assert same_origin(headers, "dash.example") is allowed
