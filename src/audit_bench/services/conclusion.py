"""The auditor's conclusion: a free text and, where the referential defines them for the audit's
kind, the recommendation (favorable…). A certification audit is closed only once it is written:
`AuditSession.close_audit` holds that rule, for every face."""

from __future__ import annotations

import msgspec

from audit_bench.model.audit import Conclusion
from audit_bench.model.vocab import KINDS
from audit_bench.referential.schema import Recommendation, recommendations_for
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
