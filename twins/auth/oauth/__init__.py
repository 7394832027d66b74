"""The OAuth 2.0 endpoints a spec declares, served by the twin (RFC 6749, PKCE per RFC 7636).

endpoints.py   which token and consent paths a spec declares, and their grants
wire.py        parameters, client credentials, token responses and errors on the wire
clients.py     which client asks, and which scopes it may be granted
issuer.py      tokens and codes drawn from the session's seed, on the session's clock
token.py       the token endpoint, one function per grant type
authorize.py   the consent step, approved at once
service.py     `OAuthService`: the endpoints of every twin, for the stage and control plane
"""
