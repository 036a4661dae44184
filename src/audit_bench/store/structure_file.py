"""One structure, one TinyDB document file (`structures/<id>.json`): record, people, certifications,
and the écarts of other sources than audits with their actions (numbered as in an audit file),
the cycle's settings and the obligations recorded as met, and its management reviews (one row
each, its frozen pack inside once signed).

The same locked, atomic, migrating document as an audit (see `DocumentFile`); each method that
changes the structure is one durable write. A later table (registers, the improvement plan,
reviews) is one more entry in `record_types`: a file without it reads as an empty table.

The complaints register (`complaints`, `complaint_settings`) came so, without a format change or a
migration: a file written before it has no complaint, and nothing stored changes meaning.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import msgspec

from audit_bench.model import (
    Action, Certification, CycleSetting, Finding, Fulfilment, Person, Review, Structure, StructureSnapshot,
)
from audit_bench.model.checks import Check, CheckFrequency
from audit_bench.model.complaints import COMPLAINT_PREFIX, Complaint, ComplaintSettings
from audit_bench.model.indicators import (
    ExitCount, IndicatorDefinition, IndicatorTarget, IndicatorValue, LocalExitVariant,
)
from audit_bench.model.surveys import Survey, SurveySettings
from audit_bench.store.audit_file import AuditFile
from audit_bench.store.document import DocumentFile
from audit_bench.store.errors import CorruptFileError
from audit_bench.store.migrations import STRUCTURE_FORMATS

__all__ = ["StructureFile"]

_RECORD_ID = 1


class StructureFile(DocumentFile):
    """An open structure file. Use `StructureFile.create` or `StructureFile.open`, and `close()`."""

    formats = STRUCTURE_FORMATS
    record_types = {"record": Structure, "people": Person, "certifications": Certification,
                    "findings": Finding, "actions": Action, "cycle_settings": CycleSetting,
                    "fulfilments": Fulfilment, "complaints": Complaint, "complaint_settings": ComplaintSettings,
                    "surveys": Survey, "survey_settings": SurveySettings, "checks": Check,
                    "check_frequencies": CheckFrequency,
                    "indicator_definitions": IndicatorDefinition, "indicator_targets": IndicatorTarget,
                    "indicator_values": IndicatorValue, "exit_counts": ExitCount, "exit_variants": LocalExitVariant,
                    "reviews": Review}
    """The registers' tables (réclamations, enquêtes, contrôles, indicateurs, sorties) and the reviews
    came after format 2 without a format change: a file written before them reads each as an empty
    table, and nothing that was stored changes meaning."""
    id_prefixes = {**AuditFile.id_prefixes, "complaints": COMPLAINT_PREFIX, "surveys": "S", "checks": "C"}
    row_tolerant = frozenset({"reviews"})
    """A damaged review costs only itself: the structure, its registers and its other reviews read
    (`damaged("reviews")` names it), and a write keeps its row as it is."""

    # Écarts and actions are numbered (E1, A1) and stored as in an audit file.
    next_id = AuditFile.next_id
    add = AuditFile.add
    replace = AuditFile.replace
    delete = AuditFile.delete

    @classmethod
    def create(cls, path: Path, structure: Structure) -> "StructureFile":
        return cls._create(path, {"record": {str(_RECORD_ID): structure}})

    def validate(self) -> None:
        """Every row converts, and the record is the one the file name says."""
        record = self.snapshot().structure
        if record.id != self.path.stem:
            raise CorruptFileError(self.path, f"la fiche est celle de « {record.id[:40]} », pas de "
                                              f"« {self.path.stem} »")

    def snapshot(self) -> StructureSnapshot:
        record = self.record("record", _RECORD_ID)
        if record is None:
            raise CorruptFileError(self.path, "fiche de la structure absente")
        return StructureSnapshot(structure=record, people=self.records("people"),
                                 certifications=self.records("certifications"), findings=self.records("findings"),
                                 actions=self.records("actions"), cycle_settings=self.records("cycle_settings"),
                                 fulfilments=self.records("fulfilments"), complaints=self.records("complaints"),
                                 complaint_settings=self.settings("complaint_settings"),
                                 surveys=self.records("surveys"), survey_settings=self.settings("survey_settings"),
                                 checks=self.records("checks"), check_frequencies=self.records("check_frequencies"),
                                 indicator_definitions=self.records("indicator_definitions"),
                                 indicator_targets=self.records("indicator_targets"),
                                 indicator_values=self.records("indicator_values"),
                                 exit_counts=self.records("exit_counts"), exit_variants=self.records("exit_variants"),
                                 reviews=self.records("reviews"))

    def write_record(self, structure: Structure) -> None:
        self.update("record", _RECORD_ID, structure)

    def set_person(self, person: Person) -> None:
        """Add the person, or replace the row of the same name and role."""
        self._upsert("people", person, name=person.name, role=person.role)

    def remove_person(self, name: str, role: str) -> bool:
        return self._remove("people", name=name, role=role)

    def set_certification(self, certification: Certification) -> None:
        """Add the certificate, or replace the row of the same referential and number."""
        self._upsert("certifications", certification, referential=certification.referential,
                     number=certification.number)

    def remove_certification(self, referential: str, number: str) -> bool:
        return self._remove("certifications", referential=referential, number=number)

    def set_cycle_setting(self, setting: CycleSetting) -> None:
        """Add the frequency, or replace the one of the same referential and object."""
        self._upsert("cycle_settings", setting, referential=setting.referential, of=setting.of)

    def remove_cycle_setting(self, referential: str, of: str) -> bool:
        return self._remove("cycle_settings", referential=referential, of=of)

    def set_fulfilment(self, fulfilment: Fulfilment) -> None:
        """Record an obligation met, or replace the note of the one met that day."""
        self._upsert("fulfilments", fulfilment, referential=fulfilment.referential,
                     obligation=fulfilment.obligation, on=fulfilment.on)

    def remove_fulfilment(self, referential: str, obligation: str, on: str) -> bool:
        return self._remove("fulfilments", referential=referential, obligation=obligation, on=on)

    def settings(self, table: str) -> Any:
        """The one row of a register's settings table (whatever its id), or None while the
        structure has set none."""
        return next(iter(self.records(table)), None)

    def set_settings(self, table: str, settings: msgspec.Struct) -> None:
        """Set a register's settings: the table's one row, added or replaced."""
        self._upsert(table, settings)

    def set_check_frequency(self, frequency: CheckFrequency) -> None:
        """Add the engagement's frequency, or replace the one it has."""
        self._upsert("check_frequencies", frequency, engagement=frequency.engagement)

    def remove_check_frequency(self, engagement: str) -> bool:
        return self._remove("check_frequencies", engagement=engagement)

    def set_indicator_definition(self, definition: IndicatorDefinition) -> None:
        """Add the structure's indicator, or replace the one of the same id."""
        self._upsert("indicator_definitions", definition, id=definition.id)

    def set_indicator_target(self, target: IndicatorTarget) -> None:
        """Set the target of an indicator, replacing its previous one."""
        self._upsert("indicator_targets", target, indicator=target.indicator)

    def set_indicator_value(self, value: IndicatorValue) -> None:
        """Record an indicator's value for a period, replacing the one recorded for it."""
        self._upsert("indicator_values", value, indicator=value.indicator, period=value.period)

    def set_exit_counts(self, counts: list[ExitCount]) -> None:
        """Record the counts of one year and horizon, in one durable write, each replacing the count
        of its situation."""
        with self.batch():
            for count in counts:
                self._upsert("exit_counts", count, year=count.year, months=count.months, situation=count.situation)

    def set_exit_variant(self, variant: LocalExitVariant) -> None:
        """Add the structure's variant of the exit rate, or replace the one of the same id."""
        self._upsert("exit_variants", variant, id=variant.id)

    def set_review(self, review: Review) -> None:
        """Add the review, or write it over the one of the same id."""
        self._upsert("reviews", review, id=review.id)

    def set_reviews(self, reviews: list[Review]) -> None:
        """Write several reviews in one durable write (a new version and the one it supersedes)."""
        with self.batch():
            for review in reviews:
                self.set_review(review)

    def _matching(self, table: str, key: dict[str, object]) -> list[int]:
        """Never a damaged review that is not even an object: no write goes to it."""
        return [int(doc_id) for doc_id, row in self.rows(table).items()
                if isinstance(row, dict) and all(row.get(field) == value for field, value in key.items())]

    def _upsert(self, table: str, record: msgspec.Struct, **key: object) -> None:
        found = self._matching(table, key)
        if found:
            self.update(table, found[0], record)
        else:
            self.insert(table, record)

    def _remove(self, table: str, **key: str) -> bool:
        found = self._matching(table, key)
        if found:
            self.remove(table, found)
        return bool(found)
