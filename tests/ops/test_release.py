"""What a municipality builds from: every imported package declared, every declared one
pinned in the lock files, and the licence."""

import ast
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
FIRST_PARTY = {"cms", "courses", "supervision", "logbook", "tests", "manage"}
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def declared(requirements):
    return {canonicalize_name(Requirement(line).name) for line in requirements}


def imported(*folders):
    """Top-level names imported by the Python files under ``folders``."""
    names = set()
    for folder in folders:
        for source in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(source.read_text(), str(source))):
                if isinstance(node, ast.Import):
                    names |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.level == 0:
                    names.add(node.module.split(".")[0])
    return names - FIRST_PARTY - set(sys.stdlib_module_names)


def distributions(modules):
    installed = packages_distributions()
    return {canonicalize_name(installed[module][0]) for module in modules}


def pinned(lock):
    lines = (ROOT / lock).read_text().splitlines()
    return {canonicalize_name(line.split("==")[0]) for line in lines if "==" in line}


RUNTIME = declared(PROJECT["dependencies"])
DEVELOPMENT = declared(PROJECT["optional-dependencies"]["dev"])


def test_every_package_the_platform_imports_is_declared():
    assert distributions(imported("cms", "courses", "supervision", "logbook")) - RUNTIME == set()


def test_every_package_the_tests_import_is_declared():
    assert distributions(imported("tests")) - RUNTIME - DEVELOPMENT == set()


def test_every_declared_package_is_pinned_in_the_lock_files():
    assert RUNTIME - pinned("requirements.lock") == set()
    assert (RUNTIME | DEVELOPMENT) - pinned("requirements-dev.lock") == set()
    servers = {
        line for line in (ROOT / "requirements.lock").read_text().splitlines() if "==" in line
    }
    development = set((ROOT / "requirements-dev.lock").read_text().splitlines())
    assert servers <= development  # the tests run on the versions the servers run


def test_the_licence_is_the_mozilla_public_licence_2():
    assert PROJECT["license"] == "MPL-2.0"
    assert (ROOT / "LICENSE").read_text().startswith("Mozilla Public License Version 2.0")
