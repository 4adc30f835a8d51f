"""Helplines and their contact methods (shaped after Open Referral HSDS, with what it lacks).

Per-language text (name, description, alert, a contact's note) is JSON: {"en": …, "es": …}.
Lists (regions, topics, a contact's languages) are JSON lists. Opening hours are JSON in the
shape `hours.py` documents; `None` means not known. `version` is SQLAlchemy's version
counter: every UPDATE of a helpline checks and bumps it, so two writers never overwrite
each other silently (the service also compares the caller's expected version first).

What the public may trust (issue 13): `verified_on`/`verified_by` belong to what was checked,
so a change to a contact or the status clears them and sets `changed_on`;
`needs_translation` names the Spanish texts older than their English twin; a change to a
priority line's contacts waits as a HelplineProposal until a second operator approves it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from typing import ClassVar

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, Uuid, or_
from sqlalchemy.ext.hybrid import hybrid_method
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.database import UTCDateTime, utcnow
from backend.extensions import db

TOPICS = (
    "crisis",
    "substance_use",
    "prescription_medicines",
    "mental_health",
    "family_support",
    "poison_overdose",
    # A service finder: where to find treatment near you (a website or a referral line).
    "find_treatment",
)
STATUSES = ("active", "temporarily_closed", "inactive")
# official: the service's or a government's own page states the number and the hours;
# official-partial: such a page states the number (or address) but not the hours.
SOURCE_STATUSES = (
    "official",
    "official-partial",
    "official-republished",
    "secondary",
    "unconfirmed",
)
PROPOSAL_STATES = ("pending", "approved", "rejected")
CONTACT_KINDS = ("call", "text", "chat", "web", "email")
# Who a contact is meant for, when not everyone: "deaf" covers TTY, textphone and relay
# numbers (for deaf, hard-of-hearing or speech-impaired people).
AUDIENCES = ("deaf", "youth", "family", "professionals")
# A line whose verification is this old waits in the operators' stale queue…
STALE_AFTER = timedelta(days=180)
# …and one this old is shown to the public as "may be out of date".
OUT_OF_DATE_AFTER = timedelta(days=365)


class Helpline(db.Model):
    """A service people can call, text or chat with, in one country."""

    __tablename__ = "helplines"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[dict] = mapped_column(JSON)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    country: Mapped[str] = mapped_column(String(2), index=True)
    regions: Mapped[list] = mapped_column(JSON, default=list)
    topics: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(24), default="active", index=True)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    free: Mapped[bool | None] = mapped_column(Boolean)
    confidential: Mapped[bool | None] = mapped_column(Boolean)
    # 0 = not a priority line; 1, 2 … = shown first in crisis help, in that order.
    priority: Mapped[int] = mapped_column(Integer, default=0)
    alert: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    source_url: Mapped[str | None] = mapped_column(String(500))
    source_status: Mapped[str] = mapped_column(String(24), default="unconfirmed")
    checked_on: Mapped[date | None] = mapped_column(Date)
    verified_on: Mapped[date | None] = mapped_column(Date)
    verified_by: Mapped[str | None] = mapped_column(String(200))
    # The day a contact or the status changed after the last verification (None once
    # re-verified): the public card says "Changed on …, not yet re-checked by our team".
    changed_on: Mapped[date | None] = mapped_column(Date)
    # Texts whose Spanish is older than the English: "name", "description", "alert",
    # "contacts.<position>.note". Until updated, the Spanish page shows the English.
    needs_translation: Mapped[list] = mapped_column(JSON, default=list)
    # Lower-cased, accent-free words of the names, descriptions and contacts, for `q`.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    contacts: Mapped[list[HelplineContact]] = relationship(
        back_populates="helpline",
        cascade="all, delete-orphan",
        order_by="HelplineContact.position",
        lazy="selectin",
    )

    __mapper_args__: ClassVar[dict] = {"version_id_col": version}
    # Serves `modified_after`, and lets the list's ETag fingerprint (count, newest change,
    # sum of versions) read the index alone.
    __table_args__ = (Index("ix_helplines_modified_at_version", "modified_at", "version"),)

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_verified(self) -> bool:
        return self.verified_on is not None

    @hybrid_method
    def stale_on(self, today: date) -> bool:
        """Never verified, or last verified STALE_AFTER or more before ``today`` (in Python
        for a line, in SQL for a query: one rule for the console and the stale queue)."""
        return self.verified_on is None or today - self.verified_on >= STALE_AFTER

    @stale_on.expression
    def stale_on(cls, today: date):
        return or_(cls.verified_on.is_(None), cls.verified_on <= today - STALE_AFTER)

    def may_be_out_of_date_on(self, today: date) -> bool:
        """Verified, but more than a year before ``today``."""
        return self.verified_on is not None and today - self.verified_on > OUT_OF_DATE_AFTER

    @property
    def may_be_out_of_date(self) -> bool:
        """Verification older than a year: the public page says it may be out of date."""
        return self.may_be_out_of_date_on(utcnow().date())

    def words(self, field: str, lang: str) -> str | None:
        """A per-language field in ``lang``, falling back to English (also when the text in
        ``lang`` is older than the English one)."""
        return self.words_with_language(field, lang)[0]

    def words_with_language(self, field: str, lang: str) -> tuple[str | None, str]:
        """(text, the language it is in) for a per-language field shown in ``lang``."""
        value = getattr(self, field) or {}
        if lang != "en" and value.get(lang) and field not in (self.needs_translation or ()):
            return value[lang], lang
        return value.get("en"), "en"

    def __repr__(self) -> str:
        return f"<Helpline {self.id} {self.country} {(self.name or {}).get('en')!r}>"


class HelplineContact(db.Model):
    """One way to reach a line (call, text, chat, web or email), with its own hours."""

    __tablename__ = "helpline_contacts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    helpline_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("helplines.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(8))
    # E.164, a short code as dialled, an https URL or an e-mail address.
    value: Mapped[str] = mapped_column(String(500))
    keyword: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # BCP 47 tags; an empty list means "not known", never "none".
    languages: Mapped[list] = mapped_column(JSON, default=list)
    hours: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))
    # One of AUDIENCES, or None for everyone.
    audience: Mapped[str | None] = mapped_column(String(24))

    helpline: Mapped[Helpline] = relationship(back_populates="contacts")

    def __repr__(self) -> str:
        return f"<HelplineContact {self.kind} {self.value!r}>"


class HelplineProposal(db.Model):
    """A change to a priority line's contacts, waiting for a second operator (four eyes).

    `changes` holds the fields to set, as the service applies them (JSON-ready); the public
    keeps the line as it is until someone other than the author approves.
    """

    __tablename__ = "helpline_proposals"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    helpline_id: Mapped[uuid.UUID] = mapped_column(
        Uuid, ForeignKey("helplines.id", ondelete="CASCADE"), index=True
    )
    # The line's version the change was made against: approving needs the line unchanged.
    base_version: Mapped[int] = mapped_column(Integer)
    changes: Mapped[dict] = mapped_column(JSON)
    # Where it came from: console, api, import or restore.
    via: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    author_id: Mapped[int | None] = mapped_column(Integer)
    author_label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(Integer)
    decided_by_label: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reason: Mapped[str | None] = mapped_column(String(500))

    helpline: Mapped[Helpline] = relationship(lazy="joined")

    @property
    def is_pending(self) -> bool:
        return self.state == "pending"

    def __repr__(self) -> str:
        return f"<HelplineProposal {self.id} {self.state} for {self.helpline_id}>"
