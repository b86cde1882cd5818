"""Personal codes: single-use invitation codes, so that one person cannot count as many.

A campaign can use personal codes (``Campaign.uses_codes``). The advisor generates them in batches;
each is shown once, on a printable sheet with a QR code per code, and stored only as a hash (of the
campaign and the code) with a ``used`` flag: no id, no time, no link to a response.

* A code is 8 characters from an alphabet without 0/O/1/I (:data:`ALPHABET`), shown in two groups
  (``ABCD-EFGH``); typing is forgiving (lower case, spaces and dashes are fine). The QR code holds
  the workers' link with the code, ``/c/<invite_code>?code=ABCDEFGH``.
* The workers' link of such a campaign asks for the code. It is checked there (unknown, or used
  already: the page says so), kept in the session with the invite, and **used when the check-up
  starts**: the response is created with ``with_code = True`` in the same transaction as ``UPDATE
  personal_code SET used = true WHERE … AND used = false``; when that finds no unused code (another
  device started with it meanwhile), nothing is stored. Used at the start rather than at completion,
  so one code can never start two check-ups; whoever stops halfway continues with the resume link.
* The team report, its exports and the campaign page then count only the check-ups that came in
  with a code; the advisor sees how many came in without one (the API, or before codes were switched
  on). The employer scan (its own link) needs no code.

40 bits a code: guessing online meets the rate limit on respondent posts; someone who reads the
database could recover codes from their hashes, but a code tells nothing about any response.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from typing import Any, cast

from sqlalchemy import CursorResult, case, func, insert, select, update

from ..extensions import db
from ..models import Campaign, PersonalCode, Response
from .invites import WORKER, audience_slug

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 characters, no 0/O/1/I
LENGTH = 8
MAX_BATCH = 200  # codes generated (and printed, each with a QR code) at once
MAX_CODES = 5000  # codes a campaign can have in all

UNKNOWN = "unknown"
USED = "used"


class CodeUsed(Exception):
    """The personal code was used (or is unknown) by the time the check-up started; nothing was stored."""


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def grouped(code: str) -> str:
    """``ABCDEFGH`` as it is shown and printed: ``ABCD-EFGH``."""
    return f"{code[:4]}-{code[4:]}"


_SEPARATORS = re.compile(r"[\s\-–.]+")


def normalise(text: str | None) -> str | None:
    """The code in what someone typed (any case, spaces or dashes), or ``None`` when it cannot be one."""
    code = _SEPARATORS.sub("", text or "").upper()
    return code if len(code) == LENGTH and all(c in ALPHABET for c in code) else None


def code_hash(campaign_id: int, code: str) -> str:
    """The stored hash of ``code`` in campaign ``campaign_id`` (codes are unique per campaign only)."""
    return hashlib.sha256(f"{campaign_id}:{code}".encode()).hexdigest()


def code_counts(campaign: Campaign) -> tuple[int, int]:
    """How many personal codes the campaign has, and how many of them were used."""
    total, used = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((PersonalCode.used.is_(True), 1), else_=0)), 0))
        .where(PersonalCode.campaign_id == campaign.id)).one()
    return int(total), int(used)


def generate(campaign: Campaign, count: int) -> list[str]:
    """``count`` new codes (1 to :data:`MAX_BATCH`) for ``campaign``, stored as hashes and committed;
    the codes themselves are returned, to be shown once."""
    if not 1 <= count <= MAX_BATCH or code_counts(campaign)[0] + count > MAX_CODES:
        raise ValueError("1 to MAX_BATCH codes at once, MAX_CODES in all")
    existing = set(db.session.scalars(select(PersonalCode.code_hash).where(PersonalCode.campaign_id == campaign.id)))
    codes: dict[str, str] = {}
    while len(codes) < count:
        code = new_code()
        hashed = code_hash(campaign.id, code)
        if hashed not in existing and hashed not in codes:
            codes[hashed] = code
    db.session.execute(insert(PersonalCode), [{"campaign_id": campaign.id, "code_hash": h, "used": False}
                                              for h in codes])
    db.session.commit()
    return sorted(codes.values())


def check(campaign: Campaign, code: str) -> str | None:
    """Why ``code`` (normalised) cannot open the check-up of ``campaign`` (:data:`UNKNOWN`, :data:`USED`),
    or ``None`` when it can."""
    used = db.session.scalar(select(PersonalCode.used).where(
        PersonalCode.campaign_id == campaign.id, PersonalCode.code_hash == code_hash(campaign.id, code)))
    if used is None:
        return UNKNOWN
    return USED if used else None


def use(campaign_id: int, hashed: str) -> None:
    """Mark the code used in the session's transaction (not committed); :class:`CodeUsed` when it is
    unknown or used already (the caller rolls back)."""
    written = cast(CursorResult[Any], db.session.execute(
        update(PersonalCode)
        .where(PersonalCode.campaign_id == campaign_id, PersonalCode.code_hash == hashed,
               PersonalCode.used.is_(False))
        .values(used=True).execution_options(synchronize_session=False)))
    if written.rowcount != 1:
        raise CodeUsed


def counted(campaign: Campaign):
    """The SQL condition for the responses of ``campaign`` that count for its figures: with personal
    codes, a worker check-up counts only when it came in with one."""
    worker = audience_slug(campaign, WORKER)
    if not campaign.uses_codes or worker is None:
        return Response.campaign_id == campaign.id
    return (Response.campaign_id == campaign.id) & ((Response.slug != worker) | Response.with_code.is_(True))


def without_code(campaign: Campaign) -> int:
    """How many completed check-ups of a campaign with personal codes came in without one (0 otherwise)."""
    worker = audience_slug(campaign, WORKER)
    if not campaign.uses_codes or worker is None:
        return 0
    return db.session.scalars(select(func.count()).select_from(Response).where(
        Response.campaign_id == campaign.id, Response.slug == worker, Response.with_code.is_(False),
        Response.status == Response.COMPLETED)).one()
