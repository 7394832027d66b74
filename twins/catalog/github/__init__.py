"""The GitHub pack: repositories, issues, pull requests, labels, comments, branches, file
contents and webhooks that behave as GitHub's do (see docs/github.md)."""

from twins.catalog.github.pack import GitHubPack

__all__ = ["GitHubPack"]
