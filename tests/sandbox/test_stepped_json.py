"""The big answers the sandbox encodes in steps (so the window's thread gets the GIL meanwhile) are the
very bytes a one-shot JSON encoding gives, and keep its refusals."""

from __future__ import annotations

import json
import math

import pytest

from app.sandbox.jsonbody import dumps_in_steps
from tests.sandbox.sandboxkit import STADIUM, TEST_PURCHASE


def one_shot(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":")).encode()


@pytest.mark.parametrize("event", [STADIUM, TEST_PURCHASE])
def test_the_availability_answer_is_byte_for_byte_the_one_shot_encoding(api, event):
    answer = api.get(f"/events/{event}/availability")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.content == one_shot(answer.json())
    assert int(answer.headers["content-length"]) == len(answer.content)


def test_stepped_encoding_keeps_what_json_does_with_keys_text_and_empty_values():
    value = {"name": "Zoë – “Ünïcode” 🎫", "empty": {}, "none": [], "nested": [[1, [2, {"x": None}]], (3, 4.5)],
             "keys": {1: "int key", 2.5: "float key"}, "flag": False}
    for depth in (0, 1, 2, 5, 50):
        assert dumps_in_steps(value, depth).encode() == one_shot(value)


def test_stepped_encoding_refuses_what_json_refuses():
    with pytest.raises(ValueError):
        dumps_in_steps({"rows": [[1.0, math.nan]]})
    with pytest.raises(TypeError):
        dumps_in_steps({"rows": [object()]})
