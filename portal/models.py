"""Imports every model so the metadata is complete (for Alembic and for ``create_all``)."""

from portal.applications.models import (
    Applicant,
    Application,
    EquipmentItem,
    Household,
    InternalNote,
    Participant,
    ReasonTemplate,
    ReasonTemplateTranslation,
    Upload,
    UploadData,
)
from portal.audit.models import AuditEvent
from portal.auth.models import AccessToken, RecoveryCode, SignInLock, StaffSession, User
from portal.catalogue.models import Activity, ActivitySession, ActivityTranslation, Association
from portal.enrolments.models import Enrolment
from portal.main.models import MunicipalitySettings
from portal.outbox.models import OutboxMessage, SmsProvider
from portal.pagecache import ContentVersion
from portal.people.models import Person, PersonMatch
from portal.reports.models import ReportFact
from portal.schemes.models import (
    LedgerEntry,
    Payment,
    PersonYear,
    Scheme,
    SchemeTranslation,
    SchemeYear,
)
from portal.workflow import StatusChange

__all__ = [
    "AccessToken",
    "Activity",
    "ActivitySession",
    "ActivityTranslation",
    "Applicant",
    "Application",
    "Association",
    "AuditEvent",
    "ContentVersion",
    "Enrolment",
    "EquipmentItem",
    "Household",
    "InternalNote",
    "LedgerEntry",
    "MunicipalitySettings",
    "OutboxMessage",
    "Participant",
    "Payment",
    "Person",
    "PersonMatch",
    "PersonYear",
    "ReasonTemplate",
    "ReasonTemplateTranslation",
    "RecoveryCode",
    "ReportFact",
    "Scheme",
    "SchemeTranslation",
    "SchemeYear",
    "SignInLock",
    "SmsProvider",
    "StaffSession",
    "StatusChange",
    "Upload",
    "UploadData",
    "User",
]
