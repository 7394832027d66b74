"""The Slack pack: the Web API methods an app uses most (auth, chat, conversations, users,
reactions) as RPC over a session's store, with Slack's errors and its lenient requests.

    wire.py           requests: arguments from anywhere, tokens, "1"/"0" booleans
    errors.py         {"ok": false, "error": ...}, and the engine's errors in Slack's words
    workspace.py      the session's workspace in the store; seed.py: how it starts
    context.py        a call's arguments, workspace and caller; the method registry
    users.py conversations.py messages.py history.py reactions.py    the methods
"""

from twins.catalog.slack.pack import SlackPack

__all__ = ["SlackPack"]
