"""``Availability.from_body`` decodes the answer in steps (so the GUI thread is not frozen for the
whole decode) and must give exactly what ``from_json(json.loads(body))`` gives — the same models
for any JSON document, and the same ``json.JSONDecodeError`` (message and position) for broken ones."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.partner.jsonsteps import loads_in_steps
from app.partner.models import Availability

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=30,
)


def test_the_documented_answer_gives_the_same_models(vectors_dir):
    body = (vectors_dir / "availability.response.json").read_bytes()
    assert Availability.from_body(body) == Availability.from_json(json.loads(body))


@settings(max_examples=200, deadline=None)
@given(document=JSON_VALUES, depth=st.integers(0, 6), indent=st.sampled_from([None, 1, "\t"]))
def test_any_document_decodes_like_json_loads(document, depth, indent):
    text = json.dumps(document, indent=indent, ensure_ascii=False)
    assert loads_in_steps(text, depth=depth) == json.loads(text)
    assert loads_in_steps(text.encode("utf-8"), depth=depth) == json.loads(text.encode("utf-8"))


@pytest.mark.parametrize("body", [
    b"", b"  ", b"{", b"[1,]", b'{"a" 1}', b'{"a":1,}', b"[1 2]", b"{} x", b'{"a":}', b"nul",
    b'["\\x"]', b'{"event": {"tickets": [{"inventory": [{"seats": [1, 2}]}]}}', b"\xff\xfe\x00",
])
def test_a_broken_document_fails_like_json_loads(body):
    with pytest.raises(ValueError) as expected:
        json.loads(body)
    with pytest.raises(ValueError) as got:
        loads_in_steps(body, depth=5)
    assert (type(got.value), str(got.value)) == (type(expected.value), str(expected.value))


def test_odd_but_valid_json_decodes_like_json_loads():
    for body in (b"\xef\xbb\xbf{}", b"[NaN, Infinity, -Infinity]", b'{"a": 1, "a": 2}', b" [ ] ",
                 '{"\u00e9": [1.5e3, true, null]}'.encode("utf-16")):
        assert repr(loads_in_steps(body, depth=3)) == repr(json.loads(body))
