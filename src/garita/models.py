"""Every table, imported in one place so Alembic and ``create_all`` see them all."""

from garita.audit.models import AuditEntry, AuditHead
from garita.auth.models import (
    Account,
    AccountCode,
    AccountSession,
    RecoveryCode,
)
from garita.corridor.models import Boarding, CorridorBus, CorridorPlan, Permit, SeatRequest
from garita.db import Base
from garita.draw.models import Draw, DrawCommitment
from garita.help.models import HelpRequest
from garita.integrity.models import Alert, Watchlist, WatchlistEntry, WatchlistName
from garita.jobs.models import BackgroundJob
from garita.messaging.models import ContactPreference, OutboxMessage
from garita.notices.models import Notice
from garita.notify.models import Watermark
from garita.offers.models import Confirmation, Offer
from garita.photos.models import Photo
from garita.policy.models import PolicyVersion
from garita.ports.models import CheckIn, Outcome, PortDay
from garita.registrations.models import Person, Registration, RegistrationChange
from garita.requests.models import DailyRequest
from garita.stats.models import StatsCoverage, StatsEncounter, StatsImport, StatsSnapshot

__all__ = [
    "Account", "AccountCode", "AccountSession", "Alert", "AuditEntry", "AuditHead",
    "BackgroundJob", "Base",
    "Boarding", "CheckIn", "Confirmation", "CorridorBus", "CorridorPlan", "DailyRequest", "Draw",
    "DrawCommitment", "HelpRequest", "Notice", "Offer", "Outcome", "Permit", "Person", "Photo",
    "PolicyVersion", "PortDay", "RecoveryCode", "Registration", "RegistrationChange",
    "SeatRequest", "StatsCoverage", "StatsEncounter", "StatsImport", "StatsSnapshot", "Watchlist",
    "WatchlistEntry", "WatchlistName",
    "ContactPreference", "OutboxMessage", "Watermark",  # messaging, notify
]
