"""Customers, products and prices; lists newest first, paged by ids; `expand`."""

from __future__ import annotations

import pytest
import stripe


def test_a_created_customer_reads_back_with_its_fields_and_metadata(
    client: stripe.StripeClient,
) -> None:
    created = client.v1.customers.create(
        params={"email": "ada@example.com", "name": "Ada", "metadata": {"plan": "pro"}}
    )

    found = client.v1.customers.retrieve(created.id)

    assert created.id.startswith("cus_")
    assert (found.email, found.name, found.metadata.to_dict()) == (
        "ada@example.com",
        "Ada",
        {"plan": "pro"},
    )
    assert found.livemode is False


def test_metadata_keys_sent_empty_are_removed(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"metadata": {"a": "1", "b": "2"}})

    updated = client.v1.customers.update(customer.id, params={"metadata": {"a": ""}})

    assert updated.metadata.to_dict() == {"b": "2"}


def test_a_deleted_customer_reads_as_deleted_and_leaves_the_list(
    client: stripe.StripeClient,
) -> None:
    kept = client.v1.customers.create(params={"name": "kept"})
    gone = client.v1.customers.create(params={"name": "gone"})

    answer = client.v1.customers.delete(gone.id)

    assert answer.deleted is True
    assert client.v1.customers.retrieve(gone.id).deleted is True
    assert [c.id for c in client.v1.customers.list().data] == [kept.id]


def test_customers_are_found_by_email(client: stripe.StripeClient) -> None:
    client.v1.customers.create(params={"email": "a@example.com"})
    wanted = client.v1.customers.create(params={"email": "b@example.com"})

    found = client.v1.customers.list(params={"email": "b@example.com"})

    assert [c.id for c in found.data] == [wanted.id]


def test_auto_paging_walks_every_page_newest_first(client: stripe.StripeClient) -> None:
    made = [client.v1.customers.create(params={"name": f"c{n}"}).id for n in range(23)]

    first = client.v1.customers.list(params={"limit": 10})
    seen = [c.id for c in client.v1.customers.list(params={"limit": 10}).auto_paging_iter()]

    assert first.has_more is True
    assert first.url == "/v1/customers"
    assert seen == list(reversed(made))


def test_ending_before_pages_back_towards_newer_objects(client: stripe.StripeClient) -> None:
    made = [client.v1.products.create(params={"name": f"p{n}"}).id for n in range(5)]

    newer = client.v1.products.list(params={"ending_before": made[1], "limit": 2})

    assert [p.id for p in newer.data] == [made[3], made[2]]
    assert newer.has_more is True


def test_a_price_belongs_to_its_product_and_expands_into_it(client: stripe.StripeClient) -> None:
    product = client.v1.products.create(params={"name": "Widget"})
    price = client.v1.prices.create(
        params={"product": product.id, "unit_amount": 1500, "currency": "usd"}
    )

    expanded = client.v1.prices.retrieve(price.id, params={"expand": ["product"]})

    assert (price.type, price.unit_amount, price.product) == ("one_time", 1500, product.id)
    assert expanded.product.name == "Widget"
    listed = client.v1.prices.list(params={"product": product.id, "expand": ["data.product"]})
    assert [p.product.id for p in listed.data] == [product.id]


def test_a_recurring_price_made_with_product_data_makes_its_product(
    client: stripe.StripeClient,
) -> None:
    price = client.v1.prices.create(
        params={
            "currency": "eur",
            "unit_amount": 900,
            "recurring": {"interval": "month"},
            "product_data": {"name": "Monthly"},
            "lookup_key": "monthly",
        }
    )

    assert price.type == "recurring"
    assert price.recurring.interval == "month"
    assert client.v1.products.retrieve(price.product).name == "Monthly"
    by_key = client.v1.prices.list(params={"lookup_keys": ["monthly"]})
    assert [p.id for p in by_key.data] == [price.id]


def test_a_product_with_prices_cannot_be_deleted_only_archived(
    client: stripe.StripeClient,
) -> None:
    product = client.v1.products.create(params={"name": "Widget"})
    client.v1.prices.create(params={"product": product.id, "unit_amount": 100, "currency": "usd"})

    with pytest.raises(stripe.InvalidRequestError):
        client.v1.products.delete(product.id)
    archived = client.v1.products.update(product.id, params={"active": False})

    assert archived.active is False
    assert client.v1.products.list(params={"active": True}).data == []


def test_expanding_a_field_that_names_no_object_is_refused(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create(params={"name": "Ann"})

    with pytest.raises(stripe.InvalidRequestError) as raised:
        client.v1.customers.retrieve(customer.id, params={"expand": ["name"]})

    assert str(raised.value.param).startswith("expand")


def test_a_payment_method_attached_to_a_customer_becomes_its_default(
    client: stripe.StripeClient,
) -> None:
    customer = client.v1.customers.create(params={"payment_method": "pm_card_visa"})
    methods = client.v1.payment_methods.list(params={"customer": customer.id})
    method = methods.data[0]

    updated = client.v1.customers.update(
        customer.id,
        params={
            "invoice_settings": {"default_payment_method": method.id},
            "expand": ["invoice_settings.default_payment_method"],
        },
    )

    assert updated.invoice_settings.default_payment_method.card.last4 == "4242"
    detached = client.v1.payment_methods.detach(method.id)
    assert detached.customer is None
    assert client.v1.customers.retrieve(customer.id).invoice_settings.default_payment_method is None


def test_a_declining_card_cannot_be_attached(client: stripe.StripeClient) -> None:
    customer = client.v1.customers.create()
    method = client.v1.payment_methods.create(
        params={"type": "card", "card": {"token": "tok_visa"}}
    )
    client.v1.payment_methods.attach(method.id, params={"customer": customer.id})

    with pytest.raises(stripe.CardError) as raised:
        client.v1.customers.create(params={"payment_method": "pm_card_chargeDeclined"})

    assert raised.value.code == "card_declined"
