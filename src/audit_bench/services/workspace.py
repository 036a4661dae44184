"""The workspace: its folder, the installed plugins and referentials, and the frozen referentials
its audits pin. Every use case starts from one `Workspace`.

The referentials' schema, the scoring and the frozen referentials' files (with hashlib) are
imported when first used, not with the workspace: the Accueil lists its audits from the index
without them."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import msgspec

from audit_bench.services.validation import UserError
from audit_bench.store.atomic import read_raw, remove_stale_temp_files
from audit_bench.store.errors import CorruptFileError

if TYPE_CHECKING:
    from audit_bench.model import AuditSnapshot, ReferentialPin, SectionScore
    from audit_bench.plugins.manager import PluginError, PluginRegistry
    from audit_bench.referential import ReferentialTree

DEFAULT_WORKSPACE = Path("audits")


class Workspace:
    """One workspace folder and what its use cases share; the TUI and the CLI both start here."""

    def __init__(self, path: Path, registry: PluginRegistry | None = None) -> None:
        self.path = Path(path)
        self._registry = registry
        self._frozen: dict[str, ReferentialTree] = {}
        self.index_warning: str | None = None
        """Why the last listing could not save the index (full disk, read-only folder), if it could not."""
        if self.path.is_dir():
            remove_stale_temp_files(self.path)

    @property
    def registry(self) -> PluginRegistry:
        if self._registry is None:
            from audit_bench.plugins.manager import load_plugins  # pluggy and entry points: after first paint

            self._registry = load_plugins()
        return self._registry

    # Referentials --------------------------------------------------------------------------

    def referentials(self) -> list[ReferentialTree]:
        return [loaded.tree for loaded in self.registry.referentials.values()]

    def plugin_of(self, referential_id: str) -> str:
        return self.registry.referentials[referential_id].plugin

    def plugin_errors(self) -> list[PluginError]:
        """Plugins that failed, including those whose data files are invalid (hence the parse)."""
        _ = self.registry.referentials
        return list(self.registry.errors)

    def referential(self, referential_id: str) -> ReferentialTree:
        loaded = self.registry.referentials.get(referential_id)
        if loaded is None:
            known = ", ".join(self.registry.referentials) or "aucun"
            raise UserError(f"référentiel inconnu « {referential_id} » (installés : {known})")
        return loaded.tree

    def scores(self, tree: ReferentialTree, snapshot: AuditSnapshot) -> list[SectionScore]:
        from audit_bench.services.scoring import generic_scores

        from_plugin = self.registry.call("score", tree=tree, audit=snapshot).first()
        return from_plugin if from_plugin is not None else generic_scores(tree, snapshot)

    def freeze(self, tree: ReferentialTree) -> None:
        """Keep the referential a new audit pins, so the audit reads the same after an upgrade."""
        from audit_bench.store.blobs import freeze_referential

        freeze_referential(self.path, tree.content_hash, msgspec.json.encode(tree.referential))

    def frozen_tree(self, audit_path: Path, pin: ReferentialPin) -> ReferentialTree:
        """The referential an audit was made with, read once per process."""
        if pin.sha256 not in self._frozen:
            self._frozen[pin.sha256] = self._read_frozen_tree(audit_path, pin)
        return self._frozen[pin.sha256]

    def _read_frozen_tree(self, audit_path: Path, pin: ReferentialPin) -> ReferentialTree:
        import hashlib

        from audit_bench.referential.schema import Referential
        from audit_bench.referential.tree import ReferentialTree
        from audit_bench.store.blobs import frozen_referential_path

        frozen = frozen_referential_path(self.path, pin.sha256)
        raw = read_raw(frozen)
        if raw is not None:
            # The bytes as frozen, not a re-encoding: a schema that gains optional fields must not
            # make every earlier audit's referential look altered.
            if hashlib.sha256(raw).hexdigest() != pin.sha256:
                raise CorruptFileError(frozen, "le contenu ne correspond plus à son empreinte")
            try:
                referential = msgspec.json.decode(raw, type=Referential)
            except (msgspec.DecodeError, msgspec.ValidationError, UnicodeDecodeError, RecursionError) as exc:
                raise CorruptFileError(frozen, str(exc)) from exc
            return ReferentialTree(referential, pin.sha256)
        installed = self.registry.referentials.get(pin.id)
        if installed is not None and installed.tree.content_hash == pin.sha256:
            self.freeze(installed.tree)
            return installed.tree
        raise CorruptFileError(audit_path, f"référentiel {pin.id} version {pin.version} introuvable "
                                           "(ni copie figée dans l'espace de travail, ni plugin identique)")
