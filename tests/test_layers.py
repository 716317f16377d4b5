"""The package's layers, enforced: which layer may import which, and which are pure.

``model`` ─► ``fetching`` ─► (the store) ─► ``pages``, ``search`` ─► ``glue`` (Pelican).
A layer imports only the layers before it; only ``glue`` knows Pelican; ``pages`` and
``search.records`` are pure: importing them starts no process, writes no file and brings
neither Pelican nor ``subprocess`` with it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "plugins" / "arxiv_digest"
# Each layer and the layers it may import (itself always).
MAY_IMPORT = {
    "model": set(),
    "fetching": {"model"},
    "pages": {"model"},
    "search": {"model", "pages"},
    "glue": {"model", "fetching", "pages", "search"},
}
LAYERS = sorted(MAY_IMPORT)
PURE = sorted(
    [
        *(f"arxiv_digest.pages.{p.stem}" for p in (PACKAGE / "pages").glob("*.py")),
        "arxiv_digest.search.records",
    ]
)
PURE = [name for name in PURE if not name.endswith("__init__")]


def modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


def imported_layers(path: Path) -> set[str]:
    """The package's layers ``path`` imports, from its relative imports (``from ..model …``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module:
            found.add(node.module.split(".")[0])
        elif isinstance(node, ast.ImportFrom) and node.level == 2:
            found.update(alias.name for alias in node.names)
    return found & set(LAYERS)


def imported_packages(path: Path) -> set[str]:
    """The top-level names of what ``path`` imports absolutely."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_module_of_the_package_is_in_a_layer():
    loose = {p.name for p in PACKAGE.glob("*.py")} - {"__init__.py", "__main__.py"}
    assert loose == set(), "put each module in the layer folder it belongs to"
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert folders == set(LAYERS)


@pytest.mark.parametrize("layer", LAYERS)
def test_a_layer_imports_only_the_layers_before_it(layer):
    wrong = {
        path.name: sorted(imported_layers(path) - MAY_IMPORT[layer] - {layer})
        for path in modules(layer)
    }
    assert {name: layers for name, layers in wrong.items() if layers} == {}


@pytest.mark.parametrize("layer", [layer for layer in LAYERS if layer != "glue"])
def test_only_the_glue_knows_pelican(layer):
    knowing = [path.name for path in modules(layer) if "pelican" in imported_packages(path)]
    assert knowing == []


# Run in a fresh interpreter: what importing one module brings and does, with an audit hook
# that notes every process started and every file opened for writing, linked or removed.
PROBE = """
import json, sys
events = []
def audit(event, args):
    if event == "open" and isinstance(args[1], str) and set(args[1]) & set("wax+"):
        events.append(f"open {args[0]} for writing")
    elif event == "open" and isinstance(args[2], int) and args[2] & 0o3:  # O_WRONLY, O_RDWR
        events.append(f"open {args[0]} for writing")
    elif event in {"subprocess.Popen", "os.system", "os.link", "os.rename", "os.remove",
                   "os.mkdir", "shutil.rmtree", "shutil.copytree", "os.posix_spawn"}:
        events.append(f"{event} {args[0]!r}")
sys.addaudithook(audit)
import importlib
importlib.import_module(sys.argv[1])
brought = sorted(m for m in ("pelican", "subprocess") if m in sys.modules)
print(json.dumps({"events": events, "brought": brought}))
"""


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_brings_no_pelican_no_processes_and_writes_nothing(module):
    done = subprocess.run(
        [sys.executable, "-c", PROBE, module], capture_output=True, text=True, check=True
    )
    seen = json.loads(done.stdout)
    assert seen == {"events": [], "brought": []}


@pytest.mark.parametrize("module", PURE)
def test_a_pure_module_has_no_file_writing_or_process_calls(module):
    path = PACKAGE / Path(*module.split(".")[1:]).with_suffix(".py")
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    called = {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
    } | {
        node.func.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
    }
    writing = {"open", "write_text", "write_bytes", "mkdir", "unlink", "rename", "replace_file"}
    assert called & writing == set()
    assert imported_packages(path) & {"pelican", "subprocess", "shutil", "tempfile", "os"} == set()
