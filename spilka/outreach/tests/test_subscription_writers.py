"""Class guard for "consent only from the address owner": the code that can make a supporter
subscribed is a short, known list. A new place that writes the subscribed status fails here
until it is reviewed (does it only act on the owner's own confirmed opt-in, and never on an
unsubscribed, bounced or complained address?) and added below with its reason."""

from __future__ import annotations

import ast
from pathlib import Path

import spilka

ROOT = Path(spilka.__file__).parent

# (module, function) -> why it may write "subscribed".
REVIEWED = {
    ("outreach/services/supporters.py", "supporter_record_action"): (
        "only for an action announced with confirmed_by_owner (the owner's mailed confirmation),"
        " and an unsubscribed supporter only by a confirmation given after the unsubscribe"
    ),
    ("outreach/services/import_writer.py", "_new_supporter"): (
        "an organiser's import with recorded consent: a new address"
    ),
    ("outreach/services/import_writer.py", "_fill_in"): (
        "an organiser's import with recorded consent: an existing supporter who never gave or"
        " refused consent (NO_CONSENT); never unsubscribed, bounced or complained"
    ),
}

# Calls that only read or test the status (a Q object is a condition, never a write).
READS = {"filter", "exclude", "get", "count", "exists", "index", "values", "values_list", "Q"}


def _is_subscribed(node: ast.AST) -> bool:
    for sub in ast.walk(node):
        if isinstance(sub, ast.Attribute) and sub.attr == "SUBSCRIBED":
            return True
        if isinstance(sub, ast.Constant) and sub.value == "subscribed":
            return True
    return False


def _writers(tree: ast.AST) -> set[str]:
    found: set[str] = set()

    def visit(node: ast.AST, function: str) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            function = node.name
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            if any(
                isinstance(t, ast.Attribute) and t.attr == "status" for t in targets
            ) and _is_subscribed(node.value):
                found.add(function)
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            if name not in READS:
                for keyword in node.keywords:
                    if keyword.arg == "status" and _is_subscribed(keyword.value):
                        found.add(function)
        for child in ast.iter_child_nodes(node):
            visit(child, function)

    visit(tree, "<module>")
    return found


def test_only_reviewed_code_can_make_a_supporter_subscribed():
    writers: set[tuple[str, str]] = set()
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/tests/" in f"/{relative}" or "/migrations/" in f"/{relative}":
            continue
        source = path.read_text(encoding="utf-8")
        if "SUBSCRIBED" not in source and '"subscribed"' not in source:
            continue
        writers |= {(relative, function) for function in _writers(ast.parse(source))}
    assert writers == set(REVIEWED), (
        "Code that writes a supporter's subscribed status changed; review it against the"
        f" consent rule and list it in REVIEWED: {sorted(writers ^ set(REVIEWED))}"
    )


def test_the_guard_sees_a_new_writer():
    tree = ast.parse(
        "def sneak(s):\n    s.status = SupporterStatus.SUBSCRIBED\n"
        "def sneak_bulk(qs):\n    qs.update(status='subscribed')\n"
        "def reader(qs):\n    return qs.filter(status=SupporterStatus.SUBSCRIBED)\n"
    )
    assert _writers(tree) == {"sneak", "sneak_bulk"}
