"""The GitHub pack's handler registry and the constants every handler module shares."""

from __future__ import annotations

from twins.catalog.pack import Routes

# GitHub's own API origin. Links are built on it and the engine rewrites it to the twin's URL in
# every reply, so a record stays right whichever URL a client reaches the twin through.
API = "https://api.github.com"
DOCS = "https://docs.github.com/rest"

routes = Routes()
