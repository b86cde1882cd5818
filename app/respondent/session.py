"""What the respondent's browser session carries, per questionnaire: the resume code of the unfinished
response and the report code it will be submitted under, and an accepted campaign invite until the
questionnaire's first page uses it.

Nothing about the person is kept; the resume code is the key to the answers so far. The report code
is made when the response starts (and again at a resume on another device) and is stored, as a hash,
only when the response is submitted. So a double tap, a resend or two posts at once all end on the
one report: whichever post comes second finds the response submitted under the code its session holds.
After submitting, the session keeps the report code alone, until a new start replaces it.

The device remembers only its last report: sending one forgets any other questionnaire's sent report
(the report codes of unfinished responses stay), and "Vergeet hem op dit apparaat" or deleting the
answers forgets it too. The session cookie is a browser-session cookie (Flask's ``session.permanent``
is never set), so the browser forgets it when it closes.

A report forgotten with "Vergeet hem" is also not shown again in this browser session without asking
(the next person on a shared tablet pressing Back): the session keeps a hash of its code, never the code.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import session

from ..campaigns.invites import Invite, campaign_for_accepted_invite, department_of
from ..responses.codes import code_hash

RESUME_KEY = "resume"
REPORT_KEY = "report"
INVITE_KEY = "invite"
FORGOTTEN_KEY = "forgotten"
#: How many forgotten reports a session keeps a hash of (the latest ones; a tablet passed round).
MAX_FORGOTTEN = 5


def resume_code(slug: str) -> str | None:
    """The resume code of this browser's unfinished response to ``slug``, if any."""
    code = session.get(RESUME_KEY, {}).get(slug)
    return code if isinstance(code, str) else None


def report_code(slug: str) -> str | None:
    """The report code this browser's response to ``slug`` is (or will be) submitted under, if any."""
    code = session.get(REPORT_KEY, {}).get(slug)
    return code if isinstance(code, str) else None


def remember(slug: str, resume: str | None, report: str | None = None) -> None:
    """Keep ``resume`` and ``report`` as this browser's codes for ``slug``; ``None`` forgets one."""
    for key, code in ((RESUME_KEY, resume), (REPORT_KEY, report)):
        codes = dict(session.get(key, {}))
        if code is None:
            codes.pop(slug, None)
        else:
            codes[slug] = code
        session[key] = codes


def submitted(slug: str, report: str) -> None:
    """The response to ``slug`` was submitted under ``report``: forget its resume code, keep the report code
    as the one sent report this browser remembers (another questionnaire's sent report is forgotten)."""
    unfinished = session.get(RESUME_KEY, {})
    codes = session.get(REPORT_KEY, {})
    session[REPORT_KEY] = {s: code for s, code in codes.items() if s in unfinished and s != slug}
    remember(slug, None, report)


def remembers_report(code: str) -> bool:
    """Whether ``code`` is the sent report this browser remembers (not the code of an unfinished response)."""
    unfinished = session.get(RESUME_KEY, {})
    return any(kept == code and slug not in unfinished for slug, kept in session.get(REPORT_KEY, {}).items())


def forget_report(code: str) -> None:
    """Forget report ``code`` wherever this browser keeps it (its answers were deleted, or the person
    asked this device to forget it)."""
    codes = session.get(REPORT_KEY, {})
    if code in codes.values():
        session[REPORT_KEY] = {slug: kept for slug, kept in codes.items() if kept != code}


def forget_on_this_device(code: str) -> None:
    """"Vergeet hem op dit apparaat": forget report ``code`` and ask before showing it again here."""
    forget_report(code)
    digest = code_hash(code)
    kept = [h for h in session.get(FORGOTTEN_KEY, []) if h != digest]
    session[FORGOTTEN_KEY] = [*kept[-(MAX_FORGOTTEN - 1):], digest]


def was_forgotten(code: str) -> bool:
    """Whether this browser was asked to forget report ``code`` (and has not opened it again since)."""
    return code_hash(code) in session.get(FORGOTTEN_KEY, [])


def open_again(code: str) -> None:
    """The person chose to open forgotten report ``code`` on this device after all."""
    digest = code_hash(code)
    if digest in session.get(FORGOTTEN_KEY, []):
        session[FORGOTTEN_KEY] = [h for h in session[FORGOTTEN_KEY] if h != digest]


def accept_invite(invite: Invite, slug: str, department_id: int | None,
                  personal_code_hash: str | None = None) -> None:
    """Keep the accepted invite (the code of the link it came through, and the hash of the personal
    code given with it) for the next new response to ``slug``, which starts afresh."""
    invites = dict(session.get(INVITE_KEY, {}))
    invites[slug] = [invite.code, department_id, date.today().isoformat(), personal_code_hash]
    session[INVITE_KEY] = invites
    remember(slug, None)


def take_campaign_link(slug: str) -> dict[str, Any]:
    """The ``campaign_id``/``department_id`` the session carries for a new response of ``slug``.

    Used once (removed from the session); empty when there is no invite, or when the campaign has
    closed and the invite was not accepted while it was open, the day before at most
    (:func:`app.campaigns.invites.campaign_for_accepted_invite`).
    """
    invites = dict(session.get(INVITE_KEY, {}))
    entry = invites.pop(slug, None)
    if not entry:
        return {}
    session[INVITE_KEY] = invites
    code, department_id, *accepted = entry
    try:
        accepted_on = date.fromisoformat(accepted[0]) if accepted else None
    except (TypeError, ValueError):
        accepted_on = None
    campaign = campaign_for_accepted_invite(code, slug, accepted_on)
    if campaign is None:
        return {}
    if code != campaign.invite_code:  # the employer link: no department, no personal code
        return {"campaign_id": campaign.id, "department_id": None}
    department = department_of(campaign, department_id)
    link: dict[str, Any] = {"campaign_id": campaign.id, "department_id": department.id if department else None}
    personal = accepted[1] if len(accepted) > 1 else None
    if campaign.uses_codes and isinstance(personal, str):
        link["personal_code_hash"] = personal
    return link


def pending_invite_code(slug: str) -> str | None:
    """The invite code of the link this browser accepted for its next new response to ``slug``."""
    entry = session.get(INVITE_KEY, {}).get(slug)
    return entry[0] if entry and isinstance(entry[0], str) else None


def has_invite(slug: str) -> bool:
    """Whether this browser accepted an invite whose next new response to ``slug`` will join a campaign."""
    return bool(session.get(INVITE_KEY, {}).get(slug))
