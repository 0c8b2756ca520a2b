"""The one JSON body parser of every entry point: a depth limit, and only ValueErrors (→ HTTP 400)."""

import pytest

from tanya.channels import json_body


def test_ordinary_bodies_parse():
    assert json_body.loads(b'{"sender": "a", "message": "halo", "metadata": {"x": [1, {"y": null}]}}')["message"] == "halo"
    assert json_body.loads("[]") == [] and json_body.loads(b"5") == 5


@pytest.mark.parametrize("body", [
    b"[" * 100_000,  # RecursionError in json itself before
    b"[" * 33 + b"]" * 33,  # parses, but deeper than the limit
    b'{"a":' * 40 + b"1" + b"}" * 40,
    b"\xff\xfe", b"{", b"", b"1" * 5000,  # not UTF-8, not JSON, an integer too long to convert
])
def test_bad_or_deep_bodies_raise_a_value_error(body):
    with pytest.raises(json_body.BodyError) as error:
        json_body.loads(body)
    assert isinstance(error.value, ValueError)


def test_the_limit_itself_is_allowed_and_depth_counts_without_recursion():
    assert json_body.loads(b"[" * 32 + b"]" * 32) is not None
    assert json_body.depth(1) == 0 and json_body.depth([]) == 1 and json_body.depth({"a": [[1]]}) == 3
    nested = []
    for _ in range(50_000):
        nested = [nested]
    assert json_body.depth(nested) == 50_001
