"""A request path finds its operation: literals before templates, with backtracking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from twins.errors import MethodNotAllowed, NotFoundError
from twins.routing import Router
from twins.spec.model import Operation


def operation(method: str, path: str) -> Operation:
    return Operation(method, path, None, "", (), None, {}, (), "")


ROUTER = Router(
    [
        operation("GET", "/pets"),
        operation("POST", "/pets"),
        operation("GET", "/pets/{petId}"),
        operation("GET", "/pets/mine"),
        operation("GET", "/a/{x}/c"),
        operation("GET", "/a/b/{y}"),
        operation("GET", "/files/{name}.json"),
        operation("GET", "/repos/{owner}/{repo}/contents/{path}"),
        operation("POST", "/chat.postMessage"),
    ]
)


@pytest.mark.parametrize(
    "method, path, label, params",
    [
        ("GET", "/pets", "GET /pets", {}),
        ("POST", "/pets", "POST /pets", {}),
        ("GET", "/pets/7", "GET /pets/{petId}", {"petId": "7"}),
        ("GET", "/pets/mine", "GET /pets/mine", {}),
        ("GET", "/a/b/c", "GET /a/b/{y}", {"y": "c"}),
        ("GET", "/a/z/c", "GET /a/{x}/c", {"x": "z"}),
        ("GET", "/files/report.json", "GET /files/{name}.json", {"name": "report"}),
        ("POST", "/chat.postMessage", "POST /chat.postMessage", {}),
        ("GET", "/pets/a%2Fb", "GET /pets/{petId}", {"petId": "a/b"}),
        ("HEAD", "/pets/7", "GET /pets/{petId}", {"petId": "7"}),
    ],
)
def test_paths_match_their_operation(
    method: str, path: str, label: str, params: dict[str, str]
) -> None:
    match = ROUTER.match(method, path)
    assert match.operation.label == label
    assert match.path_params == params


def test_a_trailing_parameter_may_take_the_rest_of_the_path() -> None:
    match = ROUTER.match("GET", "/repos/o/r/contents/docs/readme.md")
    assert match.path_params == {"owner": "o", "repo": "r", "path": "docs/readme.md"}


def test_an_unknown_path_is_not_found() -> None:
    with pytest.raises(NotFoundError):
        ROUTER.match("GET", "/nothing/here")


def test_a_known_path_with_another_method_lists_the_allowed_ones() -> None:
    with pytest.raises(MethodNotAllowed) as raised:
        ROUTER.match("DELETE", "/pets")
    assert raised.value.allowed == ["GET", "POST"]


@given(st.text(alphabet=st.characters(blacklist_characters="/", codec="utf-8"), min_size=1))
def test_any_segment_value_binds_to_a_bare_parameter(value: str) -> None:
    from urllib.parse import quote

    if value == "mine":
        return
    match = ROUTER.match("GET", "/pets/" + quote(value, safe=""))
    assert match.path_params == {"petId": value}
