"""Stripe's test payment methods: what each card number, `pm_card_*` and `tok_*` does.

Test mode decides outcomes by the card, not by chance: `pm_card_visa` (4242 4242 4242 4242)
succeeds, `pm_card_chargeDeclined` (4000 0000 0000 0002) is declined, `pm_card_
threeDSecure2Required` (4000 0000 0000 3220) needs 3D Secure first. A Luhn-valid number that is
no test card is declined as a live card used in test mode. US bank accounts
(`pm_usBankAccount_*`) debit asynchronously: `processing`, then settled or failed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Decline:
    code: str  # the error's `code`: card_declined, expired_card, incorrect_cvc, ...
    decline_code: str | None
    message: str
    blocked: bool = False  # Radar blocked it (outcome type "blocked") rather than the issuer


@dataclass(frozen=True, slots=True)
class TestCard:
    number: str
    brand: str
    funding: str = "credit"
    country: str = "US"
    decline: Decline | None = None
    authenticate: bool = False  # 3D Secure is required before the charge
    decline_after_authentication: Decline | None = None
    # Attaching a declining card to a customer fails, except for this one (charges fail later)
    declines_only_charges: bool = False

    @property
    def declines_attach(self) -> bool:
        return self.decline is not None and not self.declines_only_charges

    @property
    def last4(self) -> str:
        return self.number[-4:]


@dataclass(frozen=True, slots=True)
class TestBankAccount:
    account_number: str
    failure: Decline | None = None  # the debit fails when it settles

    @property
    def last4(self) -> str:
        return self.account_number[-4:]


GENERIC = Decline("card_declined", "generic_decline", "Your card was declined.")
INSUFFICIENT = Decline("card_declined", "insufficient_funds", "Your card has insufficient funds.")
LOST = Decline("card_declined", "lost_card", "Your card was declined.")
STOLEN = Decline("card_declined", "stolen_card", "Your card was declined.")
EXPIRED = Decline("expired_card", "expired_card", "Your card has expired.")
INCORRECT_CVC = Decline("incorrect_cvc", "incorrect_cvc", "Your card's security code is incorrect.")
PROCESSING = Decline(
    "processing_error",
    "processing_error",
    "An error occurred while processing your card. Try again in a little bit.",
)
FRAUDULENT = Decline("card_declined", "fraudulent", "Your card was declined.", blocked=True)
VELOCITY = Decline(
    "card_declined",
    "card_velocity_exceeded",
    "Your card was declined for making repeated attempts too frequently or exceeding its "
    "amount limit.",
)
AUTHENTICATION_REQUIRED = Decline(
    "authentication_required",
    "authentication_required",
    "Your card was declined. This transaction requires authentication.",
)
LIVE_CARD = Decline(
    "card_declined",
    "test_mode_live_card",
    "Your card was declined. Your request was in test mode, but used a non test card. For a "
    "list of valid test cards, visit: https://stripe.com/docs/testing.",
)
INCORRECT_NUMBER = Decline("incorrect_number", None, "Your card number is incorrect.")

_VISA = "4242424242424242"
_DECLINED = "4000000000000002"

# name (after `pm_card_` or `tok_`) -> card
CARDS: dict[str, TestCard] = {
    "visa": TestCard(_VISA, "visa"),
    "visa_debit": TestCard("4000056655665556", "visa", "debit"),
    "mastercard": TestCard("5555555555554444", "mastercard"),
    "mastercard_debit": TestCard("5200828282828210", "mastercard", "debit"),
    "mastercard_prepaid": TestCard("5105105105105100", "mastercard", "prepaid"),
    "amex": TestCard("378282246310005", "amex"),
    "discover": TestCard("6011111111111117", "discover"),
    "diners": TestCard("3056930009020004", "diners"),
    "jcb": TestCard("3566002020360505", "jcb", country="JP"),
    "unionpay": TestCard("6200000000000005", "unionpay", country="CN"),
    "chargeDeclined": TestCard(_DECLINED, "visa", decline=GENERIC),
    "chargeDeclinedInsufficientFunds": TestCard("4000000000009995", "visa", decline=INSUFFICIENT),
    "chargeDeclinedLostCard": TestCard("4000000000009987", "visa", decline=LOST),
    "chargeDeclinedStolenCard": TestCard("4000000000009979", "visa", decline=STOLEN),
    "chargeDeclinedExpiredCard": TestCard("4000000000000069", "visa", decline=EXPIRED),
    "chargeDeclinedIncorrectCvc": TestCard("4000000000000127", "visa", decline=INCORRECT_CVC),
    "chargeDeclinedProcessingError": TestCard("4000000000000119", "visa", decline=PROCESSING),
    "chargeDeclinedFraudulent": TestCard("4100000000000019", "visa", decline=FRAUDULENT),
    "chargeDeclinedVelocityLimitExceeded": TestCard("4000000000006975", "visa", decline=VELOCITY),
    "chargeCustomerFail": TestCard(
        "4000000000000341", "visa", decline=GENERIC, declines_only_charges=True
    ),
    "threeDSecure2Required": TestCard("4000000000003220", "visa", authenticate=True),
    "threeDSecureRequired": TestCard("4000000000003063", "visa", authenticate=True),
    "authenticationRequired": TestCard("4000002760003184", "visa", authenticate=True),
    "authenticationRequiredOnSetup": TestCard("4000002500003155", "visa", authenticate=True),
    "authenticationRequiredChargeDeclinedInsufficientFunds": TestCard(
        "4000008260003178", "visa", authenticate=True, decline_after_authentication=INSUFFICIENT
    ),
    "authenticationRequiredChargeDeclined": TestCard(
        "4000008400001629", "visa", authenticate=True, decline_after_authentication=GENERIC
    ),
}
# Stripe spells the Visa declines both ways: pm_card_chargeDeclined, pm_card_visa_chargeDeclined
CARDS.update(
    {
        f"visa_{name}": card
        for name, card in list(CARDS.items())
        if name.startswith("chargeDeclined")
    }
)
BY_NUMBER: dict[str, TestCard] = {}
for _card in CARDS.values():
    BY_NUMBER.setdefault(_card.number, _card)

BANK_ACCOUNTS: dict[str, TestBankAccount] = {
    "success": TestBankAccount("000123456789"),
    "accountClosed": TestBankAccount(
        "000111111113",
        Decline("account_closed", None, "The customer's bank account has been closed."),
    ),
    "noAccount": TestBankAccount(
        "000111111116",
        Decline("no_account", None, "The customer's bank account could not be located."),
    ),
    "insufficientFunds": TestBankAccount(
        "000222222227",
        Decline(
            "insufficient_funds",
            None,
            "The customer's account has insufficient funds to cover this payment.",
        ),
    ),
    "debitNotAuthorized": TestBankAccount(
        "000333333335",
        Decline(
            "debit_not_authorized",
            None,
            "The customer has notified their bank that this payment was unauthorized.",
        ),
    ),
}
BANK_BY_NUMBER = {account.account_number: account for account in BANK_ACCOUNTS.values()}
TEST_ROUTING_NUMBER = "110000000"

CARD_TOKEN_PREFIX = "pm_card_"
BANK_TOKEN_PREFIX = "pm_usBankAccount_"
TOKEN_PREFIX = "tok_"


def card_for_token(token: str) -> TestCard | None:
    """`pm_card_visa` or `tok_visa` -> the Visa test card."""
    for prefix in (CARD_TOKEN_PREFIX, TOKEN_PREFIX):
        if token.startswith(prefix):
            return CARDS.get(token[len(prefix) :])
    return None


def bank_for_token(token: str) -> TestBankAccount | None:
    if token.startswith(BANK_TOKEN_PREFIX):
        return BANK_ACCOUNTS.get(token[len(BANK_TOKEN_PREFIX) :])
    return None


def card_for_number(number: str) -> TestCard | Decline:
    """The test card with this number; a live card (declined in test mode) when the number
    is valid but unknown; INCORRECT_NUMBER when it is no card number at all."""
    digits = number.replace(" ", "")
    if not digits.isdigit() or not 12 <= len(digits) <= 19 or not luhn_valid(digits):
        return INCORRECT_NUMBER
    found = BY_NUMBER.get(digits)
    if found is not None:
        return found
    return TestCard(digits, brand_of(digits), decline=LIVE_CARD)


def bank_for_number(account_number: str) -> TestBankAccount:
    return BANK_BY_NUMBER.get(account_number, TestBankAccount(account_number))


def luhn_valid(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def brand_of(digits: str) -> str:
    if digits.startswith("4"):
        return "visa"
    if digits[:2] in ("34", "37"):
        return "amex"
    if digits[:2] in {"51", "52", "53", "54", "55"} or "2221" <= digits[:4] <= "2720":
        return "mastercard"
    if digits.startswith(("6011", "65")):
        return "discover"
    if digits.startswith(("300", "301", "302", "303", "304", "305", "36", "38")):
        return "diners"
    if digits.startswith("35"):
        return "jcb"
    if digits.startswith("62"):
        return "unionpay"
    return "unknown"
