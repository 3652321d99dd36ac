"""The JointCheck data model: every table is importable from here."""

from models.accounts import (
    ROLES,
    BindAttempt,
    ConversationState,
    InviteCode,
    PlatformAccount,
    User,
    UserRole,
)
from models.annual import AnnualPlan, AnnualPlanRow
from models.base import Base, UTCDateTime
from models.calendar import CalendarDay
from models.directory import Department, Enterprise, Inspector, Item, ItemDepartment, Recusal
from models.fieldcheck import (
    ChecklistAnswer,
    CheckPoint,
    Document,
    Signature,
    SignatureLink,
    Visit,
)
from models.meetings import Meeting, MeetingParticipant
from models.plans import Assignment, AssignmentMember, Draw, Plan, PlanItem
from models.publicity import AbnormalProposal, Objection, ResultVersion
from models.records import (
    Case,
    ClueTransfer,
    EvidenceFile,
    InspectionResult,
    PastResult,
    Problem,
    RectificationNotice,
    ResultCategory,
    ResultCategoryLink,
)
from models.system import AuditEntry, AuditHead, Counter, OutboxMessage, ProcessedUpdate

__all__ = [
    "ROLES",
    "AbnormalProposal",
    "AnnualPlan",
    "AnnualPlanRow",
    "Assignment",
    "AssignmentMember",
    "AuditEntry",
    "AuditHead",
    "Base",
    "BindAttempt",
    "CalendarDay",
    "Case",
    "CheckPoint",
    "ChecklistAnswer",
    "ClueTransfer",
    "ConversationState",
    "Counter",
    "Department",
    "Document",
    "Draw",
    "Enterprise",
    "EvidenceFile",
    "InspectionResult",
    "Inspector",
    "InviteCode",
    "Item",
    "ItemDepartment",
    "Meeting",
    "MeetingParticipant",
    "Objection",
    "OutboxMessage",
    "PastResult",
    "Plan",
    "PlanItem",
    "PlatformAccount",
    "Problem",
    "ProcessedUpdate",
    "RectificationNotice",
    "Recusal",
    "ResultCategory",
    "ResultCategoryLink",
    "ResultVersion",
    "Signature",
    "SignatureLink",
    "UTCDateTime",
    "User",
    "UserRole",
    "Visit",
]
