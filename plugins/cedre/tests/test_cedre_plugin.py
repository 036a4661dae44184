"""The plugin is found through its entry point, as a third-party plugin would be."""

from __future__ import annotations

from importlib.metadata import entry_points

import msgspec

from audit_bench.plugins.manager import load_plugins


def test_entry_point_is_registered():
    found = {ep.name: ep.value for ep in entry_points(group="audit_bench")}
    assert found.get("cedre") == "audit_bench_cedre"


def test_plugin_manager_loads_the_referential_without_errors():
    registry = load_plugins()
    assert [e for e in registry.errors if e.plugin == "cedre"] == []
    loaded = registry.referentials["cedre"]
    assert loaded.plugin == "cedre"
    assert loaded.tree.version == "2+audit-bench.4"
    assert len(loaded.tree.ratable) == 94
    demos = dict(registry.call("demo_audits").results)["cedre"]
    assert [d.org for d in demos] == ["Les Jardins du Moulin Vert"]


def test_the_cycle_states_the_three_years_and_leaves_the_rest_to_the_structure():
    from audit_bench.referential import load_referential

    import audit_bench_cedre

    referential = load_referential(audit_bench_cedre.REFERENTIAL_PATH)
    cycle = referential.cycle
    # seed 000, line 86: « La certification reçue est valable pour une période de trois ans. »
    assert referential.metadata.validity_years == 3 and cycle.validity.section == "2.2"
    # no surveillance interval in the seed; renewal by the end of validity, no lead time stated
    assert [(a.kind, a.every_months, a.before_expiry_months) for a in cycle.audits] == [
        ("surveillance", None, 0), ("renewal", None, 0)]
    # 4.4 « à intervalles planifiés » (line 226); 8.B3 / 8.C2 satisfaction (lines 591, 596): no frequency
    assert [(o.id, o.section, o.met_by, o.every_months) for o in cycle.obligations] == [
        ("revue-de-direction", "4.4", "review", None), ("recueil-satisfaction", "8.B3, 8.C2", "survey", None)]
    assert all(o.auditors is msgspec.UNSET for o in cycle.obligations)  # CEDRE says nothing of internal auditors
