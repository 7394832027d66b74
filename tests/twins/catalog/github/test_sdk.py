"""The official PyGithub against a real `dtu serve github`: what an app does with GitHub."""

from __future__ import annotations

import github
import pytest
from github.ContentFile import ContentFile
from github.Repository import Repository

from tests.serving import Served
from tests.twins.catalog.github.conftest import client_for


def _file(repo: Repository, path: str) -> ContentFile:
    found = repo.get_contents(path)
    assert isinstance(found, ContentFile), f"{path} is a file"
    return found


def _repo(gh: github.Github, name: str = "widgets") -> Repository:
    return gh.get_user().create_repo(name, description="Widgets and more", auto_init=True)


def test_the_authenticated_user_is_the_same_for_every_token_of_a_session(
    gh: github.Github, served: Served, session_name: str
) -> None:
    me = gh.get_user()
    other_token = client_for(served, session_name, token="ghp_other")
    assert me.login and me.login == other_token.get_user().login
    assert gh.get_user(me.login).id == me.id


def test_a_created_repository_is_found_by_name_and_listed(gh: github.Github) -> None:
    created = _repo(gh)
    me = gh.get_user().login
    assert created.full_name == f"{me}/widgets"
    assert created.owner.login == me
    assert created.default_branch == "main"
    found = gh.get_repo(f"{me}/widgets")
    assert (found.id, found.description) == (created.id, "Widgets and more")
    assert [r.full_name for r in gh.get_user().get_repos()] == [created.full_name]


def test_issues_are_numbered_per_repository_from_one(gh: github.Github) -> None:
    first, second = _repo(gh, "one"), _repo(gh, "two")
    numbers = [first.create_issue(title="a").number, first.create_issue(title="b").number]
    assert numbers == [1, 2]
    assert second.create_issue(title="c").number == 1
    assert first.get_issue(2).title == "b"


def test_listing_issues_filters_by_state_and_labels_and_follows_pages(
    served: Served, session_name: str
) -> None:
    gh = client_for(served, session_name, per_page=2)
    repo = _repo(gh)
    for n in range(7):
        repo.create_issue(title=f"issue {n}", labels=["bug"] if n % 2 == 0 else ["ui"])
    repo.get_issue(1).edit(state="closed")
    open_bugs = repo.get_issues(state="open", labels=["bug"])
    assert [i.title for i in open_bugs] == ["issue 6", "issue 4", "issue 2"]
    everything = repo.get_issues(state="all")
    assert everything.totalCount == 7, "the last page's number, read from the Link header"
    assert len(list(everything)) == 7
    closed = list(repo.get_issues(state="closed"))
    assert [(i.number, i.state, i.state_reason) for i in closed] == [(1, "closed", "completed")]


def test_comments_are_listed_on_their_issue_and_counted(gh: github.Github) -> None:
    issue = _repo(gh).create_issue(title="Crash on start")
    issue.create_comment("Seen it too")
    issue.create_comment("Fixed in main")
    assert [c.body for c in issue.get_comments()] == ["Seen it too", "Fixed in main"]
    issue.update()
    assert issue.comments == 2


def test_labels_are_created_and_added_to_issues(gh: github.Github) -> None:
    repo = _repo(gh)
    label = repo.create_label("needs-triage", "fbca04", "Nobody has looked yet")
    issue = repo.create_issue(title="Slow search")
    issue.add_to_labels(label, "perf")
    assert sorted(lab.name for lab in issue.get_labels()) == ["needs-triage", "perf"]
    assert repo.get_label("perf").color == "ededed", "a label added by name is created grey"
    assert "bug" in [lab.name for lab in repo.get_labels()], "GitHub's default labels"


def test_a_pull_request_from_a_new_branch_merges_into_main(gh: github.Github) -> None:
    repo = _repo(gh)
    main = repo.get_branch("main").commit.sha
    repo.create_git_ref(ref="refs/heads/feature", sha=main)
    repo.create_file("src/app.py", "Add the app", "print('hi')\n", branch="feature")
    pull = repo.create_pull(base="main", head="feature", title="Add the app", body="Please")
    assert [p.number for p in repo.get_pulls(state="open")] == [pull.number]
    assert (pull.mergeable, pull.changed_files, pull.additions) == (True, 1, 1)
    status = pull.merge(merge_method="squash")
    assert status.merged
    merged = repo.get_pull(pull.number)
    assert (merged.merged, merged.state, merged.merge_commit_sha) == (True, "closed", status.sha)
    assert merged.is_merged()
    assert repo.get_branch("main").commit.sha == status.sha
    assert _file(repo, "src/app.py").decoded_content == b"print('hi')\n"
    assert list(repo.get_pulls(state="open")) == []


def test_a_pull_request_without_new_commits_is_refused(gh: github.Github) -> None:
    repo = _repo(gh)
    repo.create_git_ref(ref="refs/heads/same", sha=repo.get_branch("main").commit.sha)
    with pytest.raises(github.GithubException) as refused:
        repo.create_pull(base="main", head="same", title="Nothing")
    assert refused.value.status == 422
    assert refused.value.data["errors"][0]["message"] == "No commits between main and same"


def test_a_file_is_updated_only_from_its_current_sha(gh: github.Github) -> None:
    repo = _repo(gh)
    created = repo.create_file("notes.txt", "Start notes", "one\n")
    first_sha = created["content"].sha
    repo.update_file("notes.txt", "More notes", "one\ntwo\n", first_sha)
    with pytest.raises(github.GithubException) as stale:
        repo.update_file("notes.txt", "Lost update", "one\nthree\n", first_sha)
    assert stale.value.status == 409
    assert stale.value.data["message"] == f"notes.txt does not match {first_sha}"
    current = _file(repo, "notes.txt")
    assert current.decoded_content == b"one\ntwo\n"
    assert current.sha != first_sha


def test_branches_are_listed_with_their_head_commits(gh: github.Github) -> None:
    repo = _repo(gh)
    main = repo.get_branch("main").commit.sha
    repo.create_git_ref(ref="refs/heads/release/1.0", sha=main)
    branches = {b.name: b.commit.sha for b in repo.get_branches()}
    assert branches == {"main": main, "release/1.0": main}
    assert repo.get_branch("release/1.0").commit.sha == main


def test_a_deleted_repository_is_an_unknown_object(gh: github.Github) -> None:
    repo = _repo(gh)
    full_name = repo.full_name
    repo.delete()
    with pytest.raises(github.UnknownObjectException) as missing:
        gh.get_repo(full_name)
    assert missing.value.status == 404


def test_a_second_repository_of_the_same_name_is_refused_with_githubs_message(
    gh: github.Github,
) -> None:
    _repo(gh)
    with pytest.raises(github.GithubException) as refused:
        _repo(gh)
    assert refused.value.status == 422
    assert refused.value.data["message"] == "Repository creation failed."
    assert refused.value.data["errors"][0]["field"] == "name"


def test_a_duplicate_label_fails_validation_naming_resource_field_and_code(
    gh: github.Github,
) -> None:
    repo = _repo(gh)
    with pytest.raises(github.GithubException) as refused:
        repo.create_label("BUG", "ff0000")
    assert refused.value.status == 422
    assert refused.value.data["message"] == "Validation Failed"
    assert refused.value.data["errors"] == [
        {"resource": "Label", "field": "name", "code": "already_exists"}
    ]
