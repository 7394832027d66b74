"""File contents: git's blob shas, folders, raw bytes, and deletes that are commits."""

from __future__ import annotations

import base64
import hashlib

from starlette.testclient import TestClient

BASE = "/_s/s/github"
DATA = b"# Notes\n\nline two\n"


def _repo_with_file(api: TestClient) -> str:
    full_name = api.post(f"{BASE}/user/repos", json={"name": "files"}).json()["full_name"]
    repo = f"{BASE}/repos/{full_name}"
    body = {"message": "Add notes", "content": base64.b64encode(DATA).decode()}
    assert api.put(f"{repo}/contents/docs/notes.md", json=body).status_code == 201
    return repo


def test_a_files_sha_is_gits_blob_sha(api: TestClient) -> None:
    found = api.get(f"{_repo_with_file(api)}/contents/docs/notes.md").json()
    blob = hashlib.sha1(b"blob %d\0" % len(DATA) + DATA).hexdigest()  # what `git hash-object` says
    assert (found["sha"], found["size"], found["encoding"]) == (blob, len(DATA), "base64")
    assert base64.b64decode(found["content"]) == DATA


def test_a_folder_lists_its_entries(api: TestClient) -> None:
    listing = api.get(f"{_repo_with_file(api)}/contents/docs").json()
    assert [(e["name"], e["type"], e["size"]) for e in listing] == [("notes.md", "file", len(DATA))]


def test_raw_bytes_come_by_accept_header_and_by_download_url(api: TestClient) -> None:
    path = f"{_repo_with_file(api)}/contents/docs/notes.md"
    raw = api.get(path, headers={"Accept": "application/vnd.github.raw"})
    assert raw.content == DATA
    download_url = api.get(path).json()["download_url"]
    assert api.get(download_url).content == DATA


def test_a_deleted_file_is_gone_from_its_branch_but_not_from_history(api: TestClient) -> None:
    repo = _repo_with_file(api)
    path = f"{repo}/contents/docs/notes.md"
    before = api.get(path).json()
    deleted = api.request("DELETE", path, json={"message": "Drop notes", "sha": before["sha"]})
    assert deleted.status_code == 200
    assert deleted.json()["content"] is None
    assert api.get(path).status_code == 404
    parent = deleted.json()["commit"]["parents"][0]["sha"]
    assert api.get(path, params={"ref": parent}).json()["sha"] == before["sha"]
