"""The auditor's conclusion: a free text and, where the referential defines them for the audit's
kind, the recommendation (favorable…). A certification audit is closed only once it is written.

The closing rule lives here, beside the conclusion it asks for: every face closes an audit through
`close_audit` below, which then closes the session."""

from __future__ import annotations

import msgspec

from audit_bench.model.audit import AuditHeader, Conclusion
from audit_bench.model.vocab import CERTIFICATION_KINDS, KINDS
from audit_bench.referential.schema import Recommendation, recommendations_for
from audit_bench.services.rules import Pending
from audit_bench.services.session import AuditSession
from audit_bench.services.validation import UserError, check_text


def recommendations(session: AuditSession) -> list[Recommendation]:
    """The recommendations this audit may conclude with, as its frozen referential states them."""
    return recommendations_for(session.tree.referential, session.snapshot().header.kind)


def conclude(session: AuditSession, text: str, recommendation: str | None = None) -> Conclusion:
    """Write (or rewrite) the conclusion: the text, and the recommendation when the referential
    offers some for this kind of audit (refused when it offers none)."""
    file = session.plan_file()
    header = session.snapshot().header
    if header.status == "closed":
        raise UserError("audit clos : la conclusion est figée (rouvrir l'audit pour la modifier)")
    text = check_text(text, "le texte de la conclusion")
    offered = [choice.id for choice in recommendations(session)]
    if recommendation is not None and not offered:
        raise UserError(f"le référentiel {session.tree.id} ne prévoit pas de recommandation pour un "
                        f"{KINDS.get(header.kind, header.kind).lower()} : retirer --recommendation")
    if recommendation is not None and recommendation not in offered:
        raise UserError(f"recommandation inconnue « {recommendation} » : choisir parmi {', '.join(offered)}")
    conclusion = Conclusion(text=text, recommendation=recommendation)
    file.write_header(msgspec.structs.replace(header, conclusion=conclusion))
    return conclusion


def missing_conclusion(session: AuditSession) -> str | None:
    """Why the audit cannot be closed yet for want of a conclusion, in French; None when it can."""
    header: AuditHeader = session.snapshot().header
    if header.kind not in CERTIFICATION_KINDS:
        return None
    kind = KINDS.get(header.kind, header.kind).lower()
    if header.conclusion is None:
        return f"{kind} : rédiger la conclusion de l'auditeur avant de clore l'audit"
    if recommendations(session) and header.conclusion.recommendation is None:
        return f"{kind} : choisir la recommandation de la conclusion avant de clore l'audit"
    return None


def close_audit(session: AuditSession) -> list[Pending]:
    """Close the audit once its conclusion is written where its kind requires one; returns what is
    still owed (as `AuditSession.close_audit`)."""
    missing = missing_conclusion(session)
    if missing is not None and session.snapshot().header.status != "closed":
        raise UserError(missing)
    return session.close_audit()
