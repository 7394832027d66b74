"""Products and their prices (one-time or recurring). A price's amounts never change: a new
price replaces an old one; a product with prices cannot be deleted, only archived."""

from __future__ import annotations

from typing import Any

from twins.behaviour.call import Call, Reply
from twins.catalog.stripe.errors import invalid, parameter_missing
from twins.catalog.stripe.events import changed, emit
from twins.catalog.stripe.kinds import PRICE, PRODUCT
from twins.catalog.stripe.listing import list_reply
from twins.catalog.stripe.objects import Obj, Objects, snapshot
from twins.catalog.stripe.params import flag, integer, merged_metadata, params, strings, text
from twins.catalog.stripe.replies import path_id, respond
from twins.catalog.stripe.routes import routes
from twins.catalog.stripe.session import opened

PRODUCT_FIELDS = ("name", "description", "url", "unit_label", "statement_descriptor", "tax_code")
MAX_INTERVAL = {"day": 365, "week": 52, "month": 12, "year": 1}


@routes("POST /v1/products")
def create_product(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    product = new_product(objects, values, text(values, "id"))
    default = values.get("default_price_data")
    if isinstance(default, dict):
        price = new_price(objects, {**default, "product": product["id"]})
        product["default_price"] = price["id"]
        objects.save(product)
    return respond(call, objects, product)


@routes("GET /v1/products/{id}")
def retrieve_product(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(PRODUCT, path_id(call), "id"))


@routes("POST /v1/products/{id}")
def update_product(call: Call) -> Reply:
    objects = opened(call)
    product = objects.require(PRODUCT, path_id(call), "id")
    before = snapshot(product)
    values = params(call)
    if "name" in values and not values["name"]:
        raise invalid("You must provide a name for the product.", "name")
    _apply_product(product, values)
    default = text(values, "default_price")
    if default:
        price = objects.require(PRICE, default, "default_price")
        if price["product"] != product["id"]:
            message = f"The price {default} does not belong to the product {product['id']}."
            raise invalid(message, "default_price")
        product["default_price"] = default
    elif default == "":
        product["default_price"] = None
    product["updated"] = objects.now
    objects.save(product)
    emit(objects, "product.updated", product, changed(before, product))
    return respond(call, objects, product)


@routes("DELETE /v1/products/{id}")
def delete_product(call: Call) -> Reply:
    objects = opened(call)
    product = objects.require(PRODUCT, path_id(call), "id")
    if objects.newest_first(PRICE, product=product["id"]):
        message = (
            "This product cannot be deleted because it has one or more user-created prices. "
            "Archive it instead (active=false)."
        )
        raise invalid(message, None, "product_has_prices")
    objects.delete(PRODUCT, product["id"])
    emit(objects, "product.deleted", product)
    return respond(call, objects, {"id": product["id"], "object": "product", "deleted": True})


@routes("GET /v1/products")
def list_products(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    filters: dict[str, Any] = {}
    if values.get("active") is not None:
        filters["active"] = flag(values, "active")
    if values.get("shippable") is not None:
        filters["shippable"] = flag(values, "shippable")
    items = objects.newest_first(PRODUCT, **filters)
    wanted = strings(values, "ids")
    if wanted:
        items = [item for item in items if item["id"] in wanted]
    return list_reply(call, objects, PRODUCT, items, "/v1/products")


@routes("POST /v1/prices")
def create_price(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, new_price(objects, params(call)))


@routes("GET /v1/prices/{price}")
def retrieve_price(call: Call) -> Reply:
    objects = opened(call)
    return respond(call, objects, objects.require(PRICE, path_id(call), "price"))


@routes("POST /v1/prices/{price}")
def update_price(call: Call) -> Reply:
    objects = opened(call)
    price = objects.require(PRICE, path_id(call), "price")
    before = snapshot(price)
    values = params(call)
    if values.get("active") is not None:
        price["active"] = flag(values, "active")
    for name in ("nickname", "lookup_key", "tax_behavior"):
        if name in values:
            price[name] = values[name] or None
    if price.get("tax_behavior") is None:
        price["tax_behavior"] = "unspecified"
    if "lookup_key" in values and price["lookup_key"]:
        _claim_lookup_key(objects, price, flag(values, "transfer_lookup_key"))
    price["metadata"] = merged_metadata(price["metadata"], values.get("metadata"))
    objects.save(price)
    emit(objects, "price.updated", price, changed(before, price))
    return respond(call, objects, price)


@routes("GET /v1/prices")
def list_prices(call: Call) -> Reply:
    objects = opened(call)
    values = params(call)
    filters: dict[str, Any] = {}
    if values.get("active") is not None:
        filters["active"] = flag(values, "active")
    for name in ("product", "currency", "type"):
        found = text(values, name)
        if found:
            filters[name] = found
    items = objects.newest_first(PRICE, **filters)
    keys = strings(values, "lookup_keys")
    if keys:
        items = [item for item in items if item.get("lookup_key") in keys]
    return list_reply(call, objects, PRICE, items, "/v1/prices")


def new_product(objects: Objects, values: dict[str, Any], ident: str | None = None) -> Obj:
    name = text(values, "name")
    if not name:
        raise parameter_missing("name")
    if ident and objects.get(PRODUCT, ident) is not None:
        raise invalid(f"Product already exists: {ident}", "id", "resource_already_exists")
    now = objects.now
    product: Obj = {
        "id": ident or objects.new_id(PRODUCT),
        "object": "product",
        "active": True,
        "attributes": [],
        "created": now,
        "default_price": None,
        "description": None,
        "features": [],
        "images": [],
        "livemode": False,
        "metadata": {},
        "name": name,
        "package_dimensions": None,
        "shippable": None,
        "statement_descriptor": None,
        "tax_code": None,
        "type": "service",
        "unit_label": None,
        "updated": now,
        "url": None,
    }
    _apply_product(product, values)
    objects.save(product)
    emit(objects, "product.created", product)
    return product


def new_price(objects: Objects, values: dict[str, Any]) -> Obj:
    currency = text(values, "currency")
    if not currency:
        raise parameter_missing("currency")
    product_id = _product_of(objects, values)
    amount = integer(values, "unit_amount")
    decimal = text(values, "unit_amount_decimal")
    if amount is None and decimal is not None:
        amount = _whole(decimal)
    if amount is None:
        raise parameter_missing("unit_amount")
    if amount < 0:
        raise invalid("Invalid integer: unit_amount must be 0 or more.", "unit_amount")
    recurring = _recurring(values.get("recurring"))
    price: Obj = {
        "id": objects.new_id(PRICE),
        "object": "price",
        "active": flag(values, "active", default=True),
        "billing_scheme": "per_unit",
        "created": objects.now,
        "currency": currency.lower(),
        "custom_unit_amount": None,
        "livemode": False,
        "lookup_key": text(values, "lookup_key") or None,
        "metadata": merged_metadata({}, values.get("metadata")),
        "nickname": text(values, "nickname") or None,
        "product": product_id,
        "recurring": recurring,
        "tax_behavior": text(values, "tax_behavior") or "unspecified",
        "tiers_mode": None,
        "transform_quantity": None,
        "type": "recurring" if recurring else "one_time",
        "unit_amount": amount,
        "unit_amount_decimal": str(amount),
    }
    if price["lookup_key"]:
        _claim_lookup_key(objects, price, flag(values, "transfer_lookup_key"))
    objects.save(price)
    emit(objects, "price.created", price)
    return price


def _product_of(objects: Objects, values: dict[str, Any]) -> str:
    named, data = text(values, "product"), values.get("product_data")
    if named and data is not None:
        message = "You may only specify one of these parameters: product, product_data."
        raise invalid(message, "product_data")
    if named:
        return str(objects.require(PRODUCT, named, "product")["id"])
    if isinstance(data, dict):
        return str(new_product(objects, data)["id"])
    message = "You must provide one of these parameters: product, product_data."
    raise parameter_missing("product", message)


def _recurring(sent: Any) -> Obj | None:
    if sent is None or sent == "":
        return None
    if not isinstance(sent, dict):
        raise invalid("Invalid recurring: must be a hash", "recurring")
    interval = text(sent, "interval")
    if interval not in MAX_INTERVAL:
        raise parameter_missing("recurring[interval]")
    count = integer(sent, "interval_count") or 1
    if not 1 <= count <= MAX_INTERVAL[interval]:
        message = (
            "The maximum billing period is one year (1 year, 12 months, 52 weeks or 365 days)."
        )
        raise invalid(message, "recurring[interval_count]")
    return {
        "aggregate_usage": None,
        "interval": interval,
        "interval_count": count,
        "trial_period_days": integer(sent, "trial_period_days"),
        "usage_type": text(sent, "usage_type") or "licensed",
    }


def _claim_lookup_key(objects: Objects, price: Obj, transfer: bool) -> None:
    """A lookup key names one price; `transfer_lookup_key` moves it from another."""
    for other in objects.newest_first(PRICE, lookup_key=price["lookup_key"]):
        if other["id"] == price["id"]:
            continue
        if not transfer:
            message = (
                f"A price (`{other['id']}`) already uses that lookup key. Set "
                "`transfer_lookup_key=true` to move it to this price."
            )
            raise invalid(message, "lookup_key")
        other["lookup_key"] = None
        objects.save(other)


def _apply_product(product: Obj, values: dict[str, Any]) -> None:
    for name in PRODUCT_FIELDS:
        if name in values:
            product[name] = values[name] if values[name] != "" else None
    if product.get("name") is None:
        raise parameter_missing("name")
    for name in ("active", "shippable"):
        if values.get(name) is not None:
            product[name] = flag(values, name)
    images = values.get("images")
    if isinstance(images, list):
        product["images"] = [str(image) for image in images]
    elif images == "":
        product["images"] = []
    product["metadata"] = merged_metadata(product["metadata"], values.get("metadata"))


def _whole(decimal: str) -> int:
    whole, _, fraction = decimal.partition(".")
    if not whole.isdigit() or len(whole) > 12 or (fraction and not fraction.isdigit()):
        raise invalid(f"Invalid decimal: {decimal}", "unit_amount_decimal")
    if fraction.strip("0"):
        message = "This twin prices in whole minor units: unit_amount_decimal has a fraction."
        raise invalid(message, "unit_amount_decimal")
    return int(whole)
