"""The packages' public names import their module when first used (`audit_bench.lazy`): each one
still imports from its package as before, and importing a package alone imports none of them."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

PACKAGES = ["audit_bench.model", "audit_bench.referential", "audit_bench.services"]


@pytest.mark.parametrize("name", PACKAGES)
def test_every_public_name_imports_from_its_package(name):
    package = importlib.import_module(name)
    for public in package.__all__:
        value = getattr(package, public)
        if hasattr(value, "__qualname__"):  # a class or a function: the one its module defines
            assert getattr(importlib.import_module(value.__module__), public) is value
        assert public in dir(package)
    namespace: dict = {}
    exec(f"from {name} import *", namespace)
    assert set(package.__all__) <= set(namespace)


@pytest.mark.parametrize("name", PACKAGES)
def test_an_unknown_name_is_an_attribute_error(name):
    with pytest.raises(AttributeError, match="no_such_name"):
        getattr(importlib.import_module(name), "no_such_name")
    with pytest.raises(ImportError):
        exec(f"from {name} import no_such_name", {})


@pytest.mark.parametrize("name", PACKAGES)
def test_a_package_alone_imports_none_of_its_modules(name):
    code = f"import sys, {name}; print(*sorted(m for m in sys.modules if m.startswith('{name}.')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.split() == []
