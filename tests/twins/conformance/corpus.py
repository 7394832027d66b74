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
NULLABLE_ENUM = (
    "`nullable: true` beside an enum without null: GitHub means null is allowed (its API takes "
    "it), dtu follows that intent, schemathesis the letter of OpenAPI 3.0.3 (null rejected)"
)

OWN: dict[str, Bounds] = {
    "bookshop": Bounds(
        max_examples=20,
        stateful_steps=10,
        exclusions=(Exclusion("negative_data_rejection", ("POST /books",), FORM_ONE_ITEM_ARRAY),),
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
        ),
    ),
    "apis-guru/gitea.io.json": Bounds(
        operations=r"^(GET|POST|PATCH|DELETE) /repos/\{owner\}/\{repo\}/labels(/\{id\})?$",
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
    "apis-guru/listennotes.com.json": Bounds(
        # POST /podcasts carries a link to a parameter it does not have (`paginate`), which
        # schemathesis refuses to load; the rest of the spec is fine.
        operations=(
            r"^(GET /(best_podcasts|genres|curated_podcasts(/\{id\})?)"
            r"|(GET|DELETE) /podcasts/\{id\})$"
        ),
    ),
}
