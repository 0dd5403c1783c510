"""User text (peerapp/ui/text): every string goes through the translation door, and a
catalog made here really changes what a widget says, plural forms included."""

from __future__ import annotations

import ast
import gettext
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from peerapp.ui.text import circles, common, conversation, translation
from peerapp.ui.widgets.circle_header import CircleHeader
from peerapp.ui.widgets.empty_state import EmptyState

TEXT_DIR = Path(translation.__file__).parent
TEXT_MODULES = sorted(p for p in TEXT_DIR.glob("*.py") if p.name not in {"__init__.py"})
FEATURE_MODULES = [p for p in TEXT_MODULES if p.name != "translation.py"]
WRAPPERS = {"tr": 1, "trn": 2}  # how many literal texts follow the context

# strings in text functions that are not words: separators of code, keys of tables
NOT_TEXT = {"", "_", " ", "direct", "other", "show", "collapse", "hide"}
NOT_TEXT |= {"self-harm", "suicide", "abuse", "eating", "substances", "grief", "violence"}


def _wrapper_call(node: ast.AST) -> tuple[str, ast.Call] | None:
    """Which wrapper `node` calls, tr or trn, and the call; None for anything else."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return (node.func.id, node) if node.func.id in WRAPPERS else None
    return None


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _wrapped_literals(tree: ast.Module) -> set[int]:
    """The ids of the string nodes passed to tr/trn as context or text (implicit
    concatenation, "a " "b", is one Constant node)."""
    return {
        id(arg)
        for node in ast.walk(tree)
        if (found := _wrapper_call(node))
        for arg in found[1].args
    }


def _docstrings(tree: ast.Module) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def untranslated(source: str, context: str) -> list[str]:
    """What in a text module's `source` a translator would never see: f-strings, bare
    literals, tr/trn calls without literal texts or with another module's context."""
    tree = ast.parse(source)
    wrapped = _wrapped_literals(tree)
    skip = _docstrings(tree)
    bare: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            bare.append(f"line {node.lineno}: an f-string")
            skip.update(id(part) for part in ast.walk(node))  # said once, as the f-string
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            if id(node) in wrapped or id(node) in skip or node.value in NOT_TEXT:
                continue
            bare.append(f"line {node.lineno}: {node.value!r}")
        elif found := _wrapper_call(node):
            name, call = found
            texts = [_literal(arg) for arg in call.args[: 1 + WRAPPERS[name]]]
            if len(texts) < 1 + WRAPPERS[name] or None in texts:
                bare.append(f"line {call.lineno}: {name} without literal context and texts")
            elif texts[0] != context:
                bare.append(f"line {call.lineno}: context {texts[0]!r}, not {context!r}")
    return sorted(bare, key=lambda line: int(line.split()[1].rstrip(":")))


@pytest.mark.parametrize("path", FEATURE_MODULES, ids=lambda p: p.stem)
def test_every_text_goes_through_the_translation_wrapper(path: Path) -> None:
    """Each text is the literal argument of tr/trn with the module's own context, so
    xgettext extracts it with that context."""
    bare = untranslated(path.read_text(), path.stem)
    assert bare == [], f"{path.name} has text outside tr/trn:\n" + "\n".join(bare)


def test_the_check_sees_text_that_skips_the_wrapper() -> None:
    source = '''
def a(name: str) -> str:
    """A docstring is not shown."""
    return f"Hello {name}"


def b() -> str:
    return "Hello"


def c(text: str) -> str:
    return tr("circles", text) + tr("moderation", "Mute") + trn("circles", "Once", "{n}", 2)
'''
    assert untranslated(source, "circles") == [
        "line 4: an f-string",
        "line 8: 'Hello'",
        "line 12: tr without literal context and texts",
        "line 12: context 'moderation', not 'circles'",
    ]


@pytest.mark.parametrize("path", FEATURE_MODULES, ids=lambda p: p.stem)
def test_text_is_made_when_asked_never_at_import(path: Path) -> None:
    """A module-level string would be fixed in the language of the moment it was imported;
    text is made by functions, called when a widget is built."""
    tree = ast.parse(path.read_text(), filename=str(path))
    constants = [
        node.lineno
        for node in tree.body
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        and isinstance(node.value, (ast.Constant, ast.JoinedStr, ast.Tuple, ast.Dict))
        and not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, int))
    ]
    assert constants == [], f"{path.name}: module-level text at lines {constants}"


UI_DIR = TEXT_DIR.parent


def text_made_at_import(source: str) -> list[str]:
    """Uses of a text module outside any function (a module's or a class's table): such
    text would be made once, at import, before any catalog is installed."""
    tree = ast.parse(source)
    modules = {
        alias.asname or alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module == "peerapp.ui.text"
        for alias in node.names
        if alias.name != "translation"
    }
    found: list[str] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        in_function = in_function or isinstance(
            node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)
        )
        if (
            not in_function
            and isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in modules
        ):
            found.append(f"line {node.lineno}: {node.func.value.id}.{node.func.attr}()")
        for child in ast.iter_child_nodes(node):
            visit(child, in_function)

    visit(tree, False)
    return found


def test_the_gui_makes_no_text_at_import() -> None:
    """Tables of words in ui/ hold the text functions, called when shown."""
    made = {
        str(path.relative_to(UI_DIR)): found
        for path in sorted(UI_DIR.rglob("*.py"))
        if TEXT_DIR not in path.parents and (found := text_made_at_import(path.read_text()))
    }
    assert made == {}
    # and the check sees such a table
    table = "from peerapp.ui.text import common\nLABELS = {1: common.cancel()}\n"
    assert text_made_at_import(table) == ["line 2: common.cancel()"]


# -- a catalog made here ----------------------------------------------------------------

# Polish's plural rule: 1 osoba, 2-4 osoby (not 12-14), else osób
PLURAL_FORMS = (
    "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
CATALOG: dict[str, str] = {
    "circles\x04Create a circle": "Utwórz krąg",
    "conversation\x04{n} member\x00{n} members": "{n} osoba\x00{n} osoby\x00{n} osób",
    "common\x04{n} day\x00{n} days": "{n} dzień\x00{n} dni\x00{n} dni",
}


def write_mo(path: Path, messages: dict[str, str]) -> None:
    """A GNU .mo file (the format msgfmt writes; gettext.GNUTranslations reads it)."""
    header = f"Content-Type: text/plain; charset=UTF-8\nPlural-Forms: {PLURAL_FORMS}\n"
    entries = sorted({"": header, **messages}.items())
    ids = b"".join(key.encode() + b"\0" for key, _ in entries)
    strs = b"".join(value.encode() + b"\0" for _, value in entries)
    count = len(entries)
    table = 7 * 4
    ids_start = table + 16 * count
    strs_start = ids_start + len(ids)
    out = struct.pack("<7I", 0x950412DE, 0, count, table, table + 8 * count, 0, 0)
    offset = 0
    for key, _ in entries:
        out += struct.pack("<2I", len(key.encode()), ids_start + offset)
        offset += len(key.encode()) + 1
    offset = 0
    for _, value in entries:
        out += struct.pack("<2I", len(value.encode()), strs_start + offset)
        offset += len(value.encode()) + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out + ids + strs)


@pytest.fixture
def polish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The test catalog installed the way the app installs one (from the environment's
    language), and English again afterwards."""
    write_mo(tmp_path / "xx" / "LC_MESSAGES" / f"{translation.DOMAIN}.mo", CATALOG)
    monkeypatch.setenv("LANGUAGE", "xx")
    translation.install_from_environment(tmp_path)
    yield
    translation.install(gettext.NullTranslations())


def test_a_catalog_changes_what_widgets_say(qtbot: QtBot, hearth_app: object, polish: None) -> None:
    empty = EmptyState()
    qtbot.addWidget(empty)
    assert empty.create_button.text() == "Utwórz krąg"
    # a text the catalog lacks stays English
    assert empty.join_button.text() == "Join with an invite code"

    header = CircleHeader("Krąg", 1)
    qtbot.addWidget(header)
    shown = {}
    for count in (1, 3, 5, 22, 112):
        header.set_member_count(count)
        shown[count] = header.member_count.text()
    assert shown == {1: "1 osoba", 3: "3 osoby", 5: "5 osób", 22: "22 osoby", 112: "112 osób"}
    assert [common.duration(d * 24 * 3600) for d in (1, 2, 5)] == ["1 dzień", "2 dni", "5 dni"]


def test_english_is_the_source_when_no_catalog_is_installed(
    qtbot: QtBot, hearth_app: object
) -> None:
    translation.install_from_environment(Path("/nonexistent-hearth-locale"))
    empty = EmptyState()
    qtbot.addWidget(empty)
    assert empty.create_button.text() == circles.create_a_circle() == "Create a circle"
    assert [conversation.member_count(n) for n in (0, 1, 2)] == [
        "0 members",
        "1 member",
        "2 members",
    ]
