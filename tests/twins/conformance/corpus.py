"""The specs the conformance run covers, how much of each, and what is excluded and why.

Big vendor specs are cut to one or two resources (a deterministic subset chosen by label regex)
so that the whole corpus runs in a couple of minutes. An exclusion here is an argument, not a
shrug: each says why the check cannot pass on those operations, whatever dtu does. Operations
that document no client error at all get `status_code_conformance` switched off on top of these
(settings.unsatisfiable_status_codes).
"""

from __future__ import annotations

from tests.twins.conformance.settings import Bounds, Exclusion

FORM_ONE_ITEM_ARRAY = (
    "schemathesis mutates an array form field into a string, but `tags=AAA` is byte for byte "
    "the one-item array ['AAA']; its _form_body_is_valid_as_sent reads a single field as text "
    "or a JSON scalar, never as a one-item array"
)
FORM_NESTING = (
    "schemathesis cannot write Stripe's bracketed form nesting: an empty nested object "
    "(shipping[address] = {}) sends no field at all, so a required key vanishes on the wire, "
    "and arrays of objects are flattened (features=name); the twin reads what was sent"
)
SWAGGER2_FORM_DATA = (
    "schemathesis reads Swagger 2.0 formData as a required, closed object (from_form_parameters "
    "sets is_required=True, additionalProperties: false), so it expects an empty form to be "
    "rejected; no formData field of these operations is required, so the empty form is valid"
)
BINARY_PART = (
    "schemathesis generates a negative value for a `format: binary` multipart field, then "
    "serialises a sample file in its place, so the request sent is valid"
)
NESTED_ID_LINK = (
    "schemathesis' inferred link takes zone_id from an `id` nested in the created zone's "
    "`records`, not the zone's own `id`, then expects that id to name the zone"
)
PATCH_AFTER_DELETE = (
    "after a stateful DELETE of the label, a schema-valid PATCH of it has no conforming answer: "
    "the operation documents only 200 and 422, use_after_free forbids any 2xx or 3xx, "
    "positive_data_acceptance a 422 and not_a_server_error a 5xx; the twin answers 404, as "
    "Gitea does"
)
REFUSED_CREDENTIALS = (
    "Gitea refuses a malformed or unknown credential with 401, as missing_required_header and "
    "ignored_auth demand of an API that requires one, yet documents no 401 here; schemathesis' "
    "negative cases break the Authorization header's format, and a faithful twin answers them "
    "with that undocumented 401"
)
DEEP_OBJECT_EMPTY_KEY = (
    "schemathesis writes an empty-string key of the deepObject `created` as `created[]`, which "
    "bracket-speaking servers (Rack, Stripe itself) read as appending to a list: sent beside "
    "`created[lt]`, the list and the object clash and Stripe answers 400, as the twin does"
)
LIMIT_IN_PROSE = (
    "Stripe refuses a `limit` outside 1..100 (400, parameter_invalid_integer), as the twin "
    "does; its spec states that range only in prose (the schema is a bare integer), so "
    "schemathesis draws 0 and negative limits as valid"
)
NULLABLE_ENUM = (
    "`nullable: true` beside an enum without null: GitHub means null is allowed (its API takes "
    "it), dtu follows that intent, schemathesis the letter of OpenAPI 3.0.3 (null rejected)"
)
SLACK_ANSWERS_IN_THE_BODY = (
    "Slack answers a refused call with HTTP 200 and `ok: false` in the body (not_authed without "
    "a token, invalid_arguments for a missing or mistyped argument; only a rate limit changes "
    "the status). A faithful twin answers as Slack does, where these checks want a 4xx (401 for "
    "a missing Authorization header)"
)
SLACK_ERRORS_UNDER_200 = (
    "Slack answers errors with HTTP 200 and `ok: false` (channel_not_found for the channels "
    "schemathesis makes up); its spec documents them only under `default`, so the 200 schema "
    "(`ok: true`) cannot hold them"
)
SLACK_TAKES_MORE = (
    "Slack takes every method as GET or POST, and the token from the Authorization header "
    "(slack_sdk sends it nowhere else); its spec declares one verb per method and a `token` "
    "header, so the other verb is answered and a missing `token` header is no error"
)
SLACK_METHODS = (
    "auth.test",
    "chat.delete",
    "chat.postMessage",
    "chat.update",
    "conversations.archive",
    "conversations.create",
    "conversations.history",
    "conversations.info",
    "conversations.invite",
    "conversations.join",
    "conversations.list",
    "conversations.members",
    "conversations.replies",
    "reactions.add",
    "reactions.get",
    "reactions.remove",
    "users.info",
    "users.list",
    "users.lookupByEmail",
)
SLACK_LABELS = tuple(f"{verb} /{method}" for method in SLACK_METHODS for verb in ("GET", "POST"))
SLACK_CHAT = ("POST /chat.delete", "POST /chat.postMessage", "POST /chat.update")
GITHUB_STATE_RULES = (
    "GitHub answers 422 (405 for a merge) to a schema-valid request that breaks a rule of the "
    "state: a second repository, label or hook of the same name, a branch or commit sha that "
    "does not exist, a pull request with no new commits, a file replaced without its blob sha, "
    "a closed pull request merged, `type` given with `visibility`; schemathesis repeats names "
    "and makes up shas, and wants them accepted"
)
GITHUB_STATEFUL = (
    "GET /user/repos",
    "POST /user/repos",
    "POST /orgs/{org}/repos",
    "PATCH /repos/{owner}/{repo}",
    "POST /repos/{owner}/{repo}/labels",
    "PATCH /repos/{owner}/{repo}/labels/{name}",
    "POST /repos/{owner}/{repo}/hooks",
    "POST /repos/{owner}/{repo}/pulls",
    "PATCH /repos/{owner}/{repo}/pulls/{pull_number}",
    "PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge",
    "PATCH /repos/{owner}/{repo}/issues/{issue_number}",
    "POST /repos/{owner}/{repo}/git/refs",
    "PATCH /repos/{owner}/{repo}/git/refs/{ref}",
    "DELETE /repos/{owner}/{repo}/git/refs/{ref}",
    "PUT /repos/{owner}/{repo}/contents/{path}",
)

STRIPE_STATE_RULES = (
    "Stripe answers 400 to a schema-valid request that breaks a rule of the state: a lookup "
    "key another price holds (without transfer_lookup_key), a product deleted while it has "
    "prices, a payment method detached that no customer holds, a 17th webhook endpoint (an "
    "account keeps 16); schemathesis repeats values and orders requests freely, and wants them "
    "accepted"
)
STRIPE_STATEFUL = (
    "DELETE /v1/products/{id}",
    "POST /v1/payment_methods/{payment_method}/detach",
    "POST /v1/prices",
    "POST /v1/prices/{price}",
    "POST /v1/webhook_endpoints",
)
STRIPE_NAMED_OBJECTS = (
    "a parameter that names another object (customer, default_price, "
    "invoice_settings[default_payment_method]) that does not exist is answered 404 "
    "resource_missing with `param` naming it; schemathesis follows a created object with an "
    "update whose other parameters it makes up (customer=null) and reads that 404 as the "
    "created object gone"
)
STRIPE_REFERENCING_UPDATES = (
    "POST /v1/customers/{customer}",
    "POST /v1/products/{id}",
    "POST /v1/payment_methods/{payment_method}/attach",
    "POST /v1/subscriptions/{subscription_exposed_id}",
    "POST /v1/payment_intents/{intent}",
)

STRING_ID_INTO_INTEGER_PARAMETER = (
    "the spec types `gifId` as an int32 while `Gif.id`, which schemathesis' inferred link "
    "feeds into it, is a string (its own example is 'YsTs5ltWtEhnq'); a non-integer path "
    "parameter is rightly refused with the declared 400"
)

OWN: dict[str, Bounds] = {
    "bookshop": Bounds(
        max_examples=20,
        stateful_steps=10,
        exclusions=(Exclusion("negative_data_rejection", ("POST /books",), FORM_ONE_ITEM_ARRAY),),
    ),
    "slack": Bounds(
        max_examples=20,
        stateful_steps=10,
        exclusions=(
            Exclusion("negative_data_rejection", SLACK_LABELS, SLACK_ANSWERS_IN_THE_BODY),
            Exclusion("missing_required_header", SLACK_LABELS, SLACK_ANSWERS_IN_THE_BODY),
            Exclusion("ignored_auth", SLACK_LABELS, SLACK_ANSWERS_IN_THE_BODY),
        ),
    ),
    "github": Bounds(
        max_examples=20,
        stateful_steps=10,
        exclusions=(Exclusion("positive_data_acceptance", GITHUB_STATEFUL, GITHUB_STATE_RULES),),
    ),
    "stripe": Bounds(
        max_examples=20,
        stateful_steps=10,
        exclusions=(
            Exclusion("positive_data_acceptance", STRIPE_STATEFUL, STRIPE_STATE_RULES),
            Exclusion("positive_data_acceptance", ("POST /v1/subscriptions",), FORM_NESTING),
            Exclusion(
                "ensure_resource_availability", STRIPE_REFERENCING_UPDATES, STRIPE_NAMED_OBJECTS
            ),
        ),
    ),
}

# Keyed by path under ../shared/specs; a spec not listed runs whole with the default Bounds.
SHARED: dict[str, Bounds] = {
    "stripe/spec3.yaml": Bounds(
        operations=r"^(GET|POST|DELETE) /v1/products(/\{id\})?$",
        exclusions=(
            Exclusion(
                "positive_data_acceptance",
                ("POST /v1/products", "POST /v1/products/{id}"),
                FORM_NESTING,
            ),
            Exclusion(
                "negative_data_rejection",
                ("POST /v1/products", "POST /v1/products/{id}"),
                FORM_ONE_ITEM_ARRAY,
            ),
            Exclusion("positive_data_acceptance", ("GET /v1/products",), DEEP_OBJECT_EMPTY_KEY),
            Exclusion("positive_data_acceptance", ("GET /v1/products",), LIMIT_IN_PROSE),
        ),
    ),
    "github/api.github.com.json": Bounds(
        operations=r"^(GET|POST|PATCH) /repos/\{owner\}/\{repo\}/issues(/\{issue_number\})?$",
        exclusions=(
            Exclusion(
                "negative_data_rejection",
                ("PATCH /repos/{owner}/{repo}/issues/{issue_number}",),
                NULLABLE_ENUM,
            ),
        ),
    ),
    "slack/slack_web_openapi_v2.json": Bounds(
        operations=r"^POST /chat\.(delete|postMessage|update)$",
        allow_extra_parameters=False,
        exclusions=(
            Exclusion(
                "negative_data_rejection",
                ("POST /chat.delete", "POST /chat.postMessage", "POST /chat.update"),
                SWAGGER2_FORM_DATA,
            ),
            Exclusion("response_schema_conformance", SLACK_CHAT, SLACK_ERRORS_UNDER_200),
            Exclusion("unsupported_method", SLACK_CHAT, SLACK_TAKES_MORE),
            Exclusion("allow_header_conformance", SLACK_CHAT, SLACK_TAKES_MORE),
            Exclusion("missing_required_header", SLACK_CHAT, SLACK_TAKES_MORE),
        ),
    ),
    "apis-guru/gitea.io.json": Bounds(
        operations=r"^(GET|POST|PATCH|DELETE) /repos/\{owner\}/\{repo\}/labels(/\{id\})?$",
        exclusions=(
            Exclusion(
                "status_code_conformance",
                ("PATCH /repos/{owner}/{repo}/labels/{id}",),
                PATCH_AFTER_DELETE,
            ),
            Exclusion(
                "status_code_conformance",
                ("POST /repos/{owner}/{repo}/labels",),
                REFUSED_CREDENTIALS,
            ),
        ),
    ),
    "apis-guru/cpy.re_peertube.json": Bounds(
        operations=r"^(GET|POST|PUT|DELETE) /api/v1/video-playlists(/\{playlistId\})?$",
        exclusions=(
            Exclusion(
                "negative_data_rejection",
                ("PUT /api/v1/video-playlists/{playlistId}",),
                BINARY_PART,
            ),
        ),
    ),
    "apis-guru/netlify.com.json": Bounds(
        operations=r"^(GET|POST|DELETE) /dns_zones(/\{zone_id\})?$",
        exclusions=(
            Exclusion(
                "ensure_resource_availability",
                ("GET /dns_zones/{zone_id}", "DELETE /dns_zones/{zone_id}"),
                NESTED_ID_LINK,
            ),
        ),
    ),
    "apis-guru/launchdarkly.com.json": Bounds(
        operations=r"^(GET|POST|PATCH|DELETE) /webhooks(/\{resourceId\})?$",
    ),
    "apis-guru/whatsapp.local.json": Bounds(
        operations=r"^(GET|POST|PUT) /groups(/\{GroupId\})?$",
    ),
    "apis-guru/brex.io.json": Bounds(
        operations=r"^(GET|POST) /api/v1/product/(order/(concierge|ubo)|(status/)?\{orderId\})$",
    ),
    "apis-guru/httpbin.org.json": Bounds(
        operations=r"^(GET|POST|DELETE) /(anything|status/\{codes\}|get|headers|uuid)$",
    ),
    "apis-guru/googleapis.com_tasks.json": Bounds(
        operations=r"^(GET|POST|PATCH|DELETE) /tasks/v1/users/@me/lists(/\{tasklist\})?$",
    ),
    "apis-guru/giphy.com.json": Bounds(
        exclusions=(
            Exclusion(
                "positive_data_acceptance",
                ("GET /gifs/{gifId}",),
                STRING_ID_INTO_INTEGER_PARAMETER,
            ),
        ),
    ),
    "apis-guru/listennotes.com.json": Bounds(
        # POST /podcasts carries a link to a parameter it does not have (`paginate`), which
        # schemathesis refuses to load; the rest of the spec is fine.
        operations=(
            r"^(GET /(best_podcasts|genres|curated_podcasts(/\{id\})?)"
            r"|(GET|DELETE) /podcasts/\{id\})$"
        ),
    ),
}
