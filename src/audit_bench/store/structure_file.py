"""One structure, one TinyDB document file (`structures/<id>.json`): record, people, certifications,
and the écarts of other sources than audits with their actions (numbered as in an audit file),
the cycle's settings and the obligations recorded as met, and its management reviews (one row
each, its frozen pack inside once signed).

The same locked, atomic, migrating document as an audit (see `DocumentFile`); each method that
changes the structure is one durable write. A later table (registers, the improvement plan,
reviews) is one more entry in `record_types`: a file without it reads as an empty table.
"""

from __future__ import annotations

from pathlib import Path
import msgspec

from audit_bench.model import (
    Action, Certification, CycleSetting, Finding, Fulfilment, Person, Review, Structure, StructureSnapshot,
)
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
                    "fulfilments": Fulfilment, "reviews": Review}

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
                                 fulfilments=self.records("fulfilments"), reviews=self.records("reviews"))

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

    def set_review(self, review: Review) -> None:
        """Add the review, or write it over the one of the same id."""
        self._upsert("reviews", review, id=review.id)

    def set_reviews(self, reviews: list[Review]) -> None:
        """Write several reviews in one durable write (a new version and the one it supersedes)."""
        with self.batch():
            for review in reviews:
                self.set_review(review)

    def _matching(self, table: str, key: dict[str, str]) -> list[int]:
        return [int(doc_id) for doc_id, row in self.rows(table).items()
                if all(row.get(field) == value for field, value in key.items())]

    def _upsert(self, table: str, record: msgspec.Struct, **key: str) -> None:
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
