"""Towns and modules: TOML files a maintainer edits (content/SCHEMA.md), per language.

``load_content()`` reads every file, validates it and collects *every* problem (a broken
file never hides the others); English is the source, and another language's file
overlays its text field by field — anything it leaves out stays English.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from co_app.core.foundation import resources
from co_app.core.content.audience import check_translation
from co_app.core.content.reading import ContentFileError, load_toml
from co_app.core.content.schema import (
    FORMAT, HEADER, MODULE_IDS, REVIEW_FIELDS, REVIEW_STATES, SECTION_IDS, TOWN_IDS, ContentProblem, Module, Reader,
    Town, build_module, build_town, town_key,
)
from co_app.core.foundation.errors import CoError, ManifestError, Notice, sentence
from co_app.core.foundation.languages import LANGUAGES, SOURCE_LANGUAGE, find_language
from co_app.core.media.manifest import Manifest
from co_app.core.foundation.i18n import N_
from co_app.core.content.translation import (
    OWN, TEXT, TEXTS, TRANSLATABLE, Table, Tables, TranslationStatus, is_tables, is_texts, review_state, source_hash,
)

DEFAULT_CONTENT_DIR = resources.content_dir()
LANGUAGE_CODES = tuple(lang.code for lang in LANGUAGES)
KINDS = {"town": ("towns", TOWN_IDS, build_town), "module": ("modules", MODULE_IDS, build_module)}


class ContentError(CoError):
    """The content folder cannot be read at all (a problem in a file is a ContentProblem)."""


def overlay(r: Reader, en: dict[str, Any], tr: dict[str, Any], spec: dict[str, Any],
            skip: tuple[str, ...] = ()) -> tuple[dict[str, Any], int, int]:
    """English ``en`` with the translated text of ``tr`` laid over it: (merged, translated, total),
    counting the text fields English has.  Problems of ``tr`` are reported through ``r``."""
    merged, done, total = dict(en), 0, 0
    for name in tr:
        if name not in spec and name not in skip:
            r.report(name, N_("is not translatable text; the English file's value is used"), "warning")
    for name, kind in spec.items():
        en_value, tr_value = en.get(name), tr.get(name)
        if kind == TEXT:
            if not isinstance(en_value, str) or not en_value.strip():
                continue
            total += 1
            if tr_value is None:
                continue
            if not isinstance(tr_value, str):
                r.report(name, N_("must be text"))
            elif not tr_value.strip():
                r.report(name, N_("is empty; the English text is used"), "warning")
            else:
                merged[name], done = tr_value, done + 1
        elif kind == OWN and isinstance(tr_value, str) and tr_value.strip():
            merged[name] = tr_value
        elif kind == TEXTS:
            if not is_texts(en_value):
                continue
            total += len(en_value)
            if tr_value is None:
                continue
            if not is_texts(tr_value):
                r.report(name, N_("must be a list of texts"))
            elif len(tr_value) != len(en_value):
                r.report(name, N_("has {count} entries; English has {english} (each list in the same order and "
                                  "length)"), count=len(tr_value), english=len(en_value))
            else:
                merged[name] = [t if t.strip() else e for t, e in zip(tr_value, en_value)]
                done += sum(bool(t.strip()) for t in tr_value)
        elif isinstance(kind, Table):
            if not isinstance(en_value, dict):
                continue
            if tr_value is not None and not isinstance(tr_value, dict):
                r.report(name, N_("must be a [{name}] table"), name=name)
                tr_value = None
            merged[name], d, t = overlay(r.child({}, f"{name}."), en_value, tr_value or {}, kind.spec)
            done, total = done + d, total + t
        elif isinstance(kind, Tables):
            d, t = _overlay_tables(r, name, en_value, tr_value, kind, merged)
            done, total = done + d, total + t
    return merged, done, total


def _overlay_tables(r: Reader, name: str, en_value: Any, tr_value: Any, kind: Tables,
                    merged: dict[str, Any]) -> tuple[int, int]:
    if not is_tables(en_value):
        return 0, 0
    pairs = [(entry, {}) for entry in en_value]  # (English entry, its translation)
    if tr_value is not None and not is_tables(tr_value):
        r.report(name, N_("must be a list of [[{name}]] tables"), name=name)
    elif tr_value is not None and kind.key:
        by_key = {e.get(kind.key): i for i, e in enumerate(en_value) if isinstance(e.get(kind.key), str)}
        seen: set[str] = set()
        for number, entry in enumerate(tr_value, start=1):
            key = entry.get(kind.key)
            where = f"{name}[{key if isinstance(key, str) and key else number}].{kind.key}"
            if not isinstance(key, str) or key not in SECTION_IDS:
                r.report(where, N_("is {key!r}, not a section id (allowed: {allowed})"), key=key,
                         allowed=", ".join(SECTION_IDS))
            elif key not in by_key:
                r.report(where, N_("is {key!r}, a section the English file does not have"), key=key)
            elif key in seen:
                r.report(where, N_("{key!r} appears twice"), key=key)
            else:
                seen.add(key)
                pairs[by_key[key]] = (en_value[by_key[key]], entry)
    elif tr_value is not None:
        if len(tr_value) != len(en_value):
            r.report(name, N_("has {count} entries; English has {english} (same order as English)"),
                     count=len(tr_value), english=len(en_value))
        else:
            pairs = list(zip(en_value, tr_value))
    out, done, total = [], 0, 0
    for number, (en_entry, tr_entry) in enumerate(pairs, start=1):
        label = en_entry.get(kind.key) if kind.key else number
        m, d, t = overlay(r.child({}, f"{name}[{label}]."), en_entry, tr_entry, kind.spec,
                          skip=(kind.key,) if kind.key else ())
        out.append(m)
        done, total = done + d, total + t
    merged[name] = out
    return done, total


# --- the library --------------------------------------------------------------------


@dataclass
class _Item:
    kind: str
    id: str
    copies: dict[str, Any] = field(default_factory=dict)          # language → Town | Module
    status: dict[str, TranslationStatus] = field(default_factory=dict)


@dataclass(frozen=True)
class Coverage:
    """How much of the content one language translates (fractions 0.0–1.0, by text field)."""

    language: str
    towns: float
    modules: float
    overall: float
    per_town: dict[str, float]
    per_module: dict[str, float]


def _language(code: str) -> str:
    found = find_language(code)
    return found.code if found else code


class ContentLibrary:
    def __init__(self, root: Path, items: list[_Item], problems: list[ContentProblem]):
        self.root = root
        self._towns = {i.id: i for i in sorted((i for i in items if i.kind == "town"),
                                               key=lambda i: TOWN_IDS.index(i.id))}
        self._modules = {i.id: i for i in sorted((i for i in items if i.kind == "module"),
                                                 key=lambda i: (i.copies["en"].order or 99, MODULE_IDS.index(i.id)))}
        self.problems: tuple[ContentProblem, ...] = tuple(problems)

    @property
    def errors(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[ContentProblem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def languages(self) -> list[str]:
        """English, then every language with at least one file, in LANGUAGES order."""
        present = {lang for item in self._all() for lang in item.status}
        return [code for code in LANGUAGE_CODES if code in present or code == SOURCE_LANGUAGE]

    def _all(self) -> list[_Item]:
        return [*self._towns.values(), *self._modules.values()]

    @staticmethod
    def _copy(item: _Item | None, language: str) -> Any:
        if item is None:
            return None
        return item.copies.get(_language(language)) or item.copies[SOURCE_LANGUAGE]

    def town(self, town_id: str, language: str = SOURCE_LANGUAGE) -> Town | None:
        """The town with its text in ``language`` where translated, else English; None if unknown."""
        return self._copy(self._towns.get(town_id), language)

    def town_name(self, ref: str, language: str = SOURCE_LANGUAGE) -> str:
        """The town's name in ``language`` for a town id or a film id ("austria-gaenserndorf"),
        from its profile; ``ref`` itself when no profile has it."""
        town = self.town(town_key(ref), language)
        return town.name if town is not None else ref

    def module(self, module_id: str, language: str = SOURCE_LANGUAGE) -> Module | None:
        return self._copy(self._modules.get(module_id), language)

    def towns(self, language: str = SOURCE_LANGUAGE) -> list[Town]:
        """The receiving towns in DESIGN.md's order, then france and europe."""
        return [self._copy(item, language) for item in self._towns.values()]

    def modules(self, language: str = SOURCE_LANGUAGE) -> list[Module]:
        return [self._copy(item, language) for item in self._modules.values()]

    def town_status(self, town_id: str) -> dict[str, TranslationStatus]:
        """language → review state and coverage, for every language with a file (English included)."""
        item = self._towns.get(town_id)
        return dict(item.status) if item else {}

    def module_status(self, module_id: str) -> dict[str, TranslationStatus]:
        item = self._modules.get(module_id)
        return dict(item.status) if item else {}

    def coverage(self, language: str) -> Coverage:
        language = _language(language)

        def share(items: list[_Item]) -> tuple[float, dict[str, float], int, int]:
            per, done, total = {}, 0, 0
            for item in items:
                source = item.status[SOURCE_LANGUAGE]
                status = item.status.get(language)
                d = source.total if language == SOURCE_LANGUAGE else (status.translated if status else 0)
                per[item.id] = d / source.total if source.total else 1.0
                done, total = done + d, total + source.total
            return (done / total if total else 1.0), per, done, total

        towns, per_town, td, tt = share(list(self._towns.values()))
        modules, per_module, md, mt = share(list(self._modules.values()))
        overall = (td + md) / (tt + mt) if tt + mt else 1.0
        return Coverage(language, towns, modules, overall, per_town, per_module)


# --- loading ------------------------------------------------------------------------


class _Loader:
    def __init__(self, root: Path):
        self.root, self.problems = root, []

    def display(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.root.parent))
        except ValueError:
            return str(path)

    def problem(self, path: Path, item: str, name: str, template: str, severity: str = "error", /,
                **params: Any) -> None:
        """A problem of a whole file or folder: ``template`` (marked with ``N_``), or a ``Notice``."""
        message = template if isinstance(template, Notice) else Notice(template, **params)
        self.problems.append(ContentProblem(path, item, name, message, severity, self.display(path)))

    def read(self, path: Path, kind: str, item_id: str) -> dict[str, Any] | None:
        label = f"{kind} {item_id}"
        try:
            data = load_toml(path)  # a regular file, not too large, not nested too deep
        except ContentFileError as exc:
            said = exc.args[0] if exc.args else str(exc)  # sentence(): kept as its template, said where shown
            self.problem(path, label, "", Notice(said.template, **said.params) if isinstance(said, Notice) else said)
            return None
        r = Reader(self.problems, path, self.display(path), label, data)
        if data.get("format") != FORMAT:
            r.report("format", N_("must be {format}, found {found!r}"), format=FORMAT, found=data.get("format"))
        if data.get("id") != item_id:
            r.report("id", N_("is {value!r}; it must be the folder name {folder!r}"), value=data.get("id"),
                     folder=item_id)
        if data.get("language") != path.stem:
            r.report("language", N_("is {value!r}; it must be the file name {name!r}"), value=data.get("language"),
                     name=path.stem)
        r.choice("review", REVIEW_STATES)
        check_translation(r, kind, path.stem, data)  # notes for the facilitator; pronunciations
        return data

    def load_item(self, kind: str, folder: Path) -> _Item | None:
        item_id, build = folder.name, KINDS[kind][2]
        label = f"{kind} {item_id}"
        files: dict[str, Path] = {}
        for path in sorted(folder.iterdir()):
            if path.suffix != ".toml":
                continue
            if path.stem not in LANGUAGE_CODES:
                self.problem(path, label, "", N_("the file name {name!r} is not a language code of the application "
                                                 "({codes})"), name=path.stem, codes=", ".join(LANGUAGE_CODES))
            else:
                files[path.stem] = path
        if SOURCE_LANGUAGE not in files:
            self.problem(folder, label, "", N_("has no en.toml yet (translations need the English source)") if files
                         else N_("has no en.toml yet"), "error" if files else "warning")
            return None
        en_path = files.pop(SOURCE_LANGUAGE)
        raw = self.read(en_path, kind, item_id)
        if raw is None:
            return None
        r = Reader(self.problems, en_path, self.display(en_path), label, raw)
        review = raw.get("review") if raw.get("review") in REVIEW_STATES else "draft"
        item = _Item(kind, item_id)
        item.copies[SOURCE_LANGUAGE] = build(r, item_id, SOURCE_LANGUAGE, review)
        spec = TRANSLATABLE[kind]
        total = overlay(Reader([], en_path, "", label, {}), raw, {}, spec)[2]
        item.status[SOURCE_LANGUAGE] = TranslationStatus(SOURCE_LANGUAGE, review, 1.0, self.display(en_path),
                                                         total, total)
        self.check_links(r, kind, raw)
        english_hash = source_hash(raw, spec)
        for language, path in files.items():
            tr = self.read(path, kind, item_id)
            if tr is None:
                continue
            reader = Reader(self.problems, path, self.display(path), label, tr)
            merged, done, total = overlay(reader, raw, tr, spec, skip=HEADER + REVIEW_FIELDS)
            tr_review = tr.get("review") if tr.get("review") in REVIEW_STATES else "draft"
            quiet = Reader([], path, "", label, merged)  # English's own problems are reported once
            item.copies[language] = build(quiet, item_id, language, tr_review)
            checks = overlay(Reader([], path, "", label, {}), raw, tr, {"self_check": spec["self_check"]})[1:] \
                if kind == "module" else (0, 0)
            item.status[language] = TranslationStatus(language, tr_review, done / total if total else 1.0,
                                                      self.display(path), done, total,
                                                      *review_state(reader, tr, tr_review, english_hash), *checks)
        return item

    def check_links(self, r: Reader, kind: str, raw: dict[str, Any]) -> None:
        if self.manifest is None:
            return
        links: list[tuple[str, Any]] = []
        if kind == "town":
            film = raw.get("film")
            if isinstance(film, str) and film and self.manifest.film(film) is None:
                r.report("film", N_("broken link: no film {film!r} in {manifest}"), film=film,
                         manifest=self._manifest_name())
            voices = raw.get("film_voices")
            if is_tables(voices):
                links = [(f"film_voices[{n}].moment", v.get("moment")) for n, v in enumerate(voices, start=1)]
        else:  # a module: its linked moments and the one it opens with
            moments = raw["moments"] if is_texts(raw.get("moments")) else []
            links = [*((f"moments[{n}]", m) for n, m in enumerate(moments, start=1)),
                     ("opening_moment", raw.get("opening_moment"))]
        for name, link in links:
            if not isinstance(link, str) or "#" not in link:
                continue  # the schema check reports it
            film_id, _, moment_id = link.partition("#")
            film = self.manifest.film(film_id)
            if film is None:
                r.report(name, N_("broken link: no film {film!r} in {manifest}"), film=film_id,
                         manifest=self._manifest_name())
            elif film.moment(moment_id) is None:
                known = ", ".join(m.id for m in film.moments) or Notice(N_("none"))
                r.report(name, N_("broken link: film {film!r} has no moment {moment!r} (it has: {known})"),
                         film=film_id, moment=moment_id, known=known)

    def _manifest_name(self) -> str:
        return self.display(self.manifest.path) if self.manifest else Notice(N_("the media manifest"))

    def load(self, manifest: Manifest | None) -> ContentLibrary:
        self.manifest = manifest
        items: list[_Item] = []
        for kind, (folder_name, allowed, _) in KINDS.items():
            folder = self.root / folder_name
            if not folder.is_dir():
                self.problem(folder, "", "", N_("is missing: the {folder} live in {folder}/<id>/<lang>.toml"),
                             folder=folder_name)
                continue
            present = set()
            for sub in sorted(folder.iterdir()):
                if not sub.is_dir():
                    continue
                if sub.name not in allowed:
                    self.problem(sub, f"{kind} {sub.name}", "", N_("is not a known town id (allowed: {allowed})")
                                 if kind == "town" else N_("is not a known module id (allowed: {allowed})"),
                                 allowed=", ".join(allowed))
                    continue
                present.add(sub.name)
                item = self.load_item(kind, sub)
                if item is not None:
                    items.append(item)
            for missing in (i for i in allowed if i not in present):
                self.problem(folder / missing, f"{kind} {missing}", "", N_("has no content yet"), "warning")
        orders: dict[int, str] = {}
        for item in (i for i in items if i.kind == "module"):
            order = item.copies[SOURCE_LANGUAGE].order
            if order and order in orders:
                path = self.root / "modules" / item.id / "en.toml"
                self.problem(path, f"module {item.id}", "order", N_("is {order}, the same as module {other}"),
                             order=order, other=orders[order])
            orders.setdefault(order, item.id)
        return ContentLibrary(self.root, items, self.problems)


def load_content(root: Path = DEFAULT_CONTENT_DIR, manifest: Manifest | None = None) -> ContentLibrary:
    """Every town and module in every language under ``root``, with every problem found.

    ``manifest`` defaults to the media manifest; film links are checked against it.
    Raises ContentError only when ``root`` itself is not a readable folder.
    """
    root = Path(root)
    if not root.is_dir():
        raise ContentError(sentence(N_("The content folder {root} does not exist (it should hold towns/ and "
                                       "modules/)."), root=root))
    loader = _Loader(root)
    if manifest is None:
        from co_app.core.media.manifest import DEFAULT_MANIFEST, load_manifest

        try:
            manifest = load_manifest()
        except ManifestError as exc:
            said = exc.args[0] if exc.args else str(exc)
            said = Notice(said.template, **said.params) if isinstance(said, Notice) else said
            loader.problem(DEFAULT_MANIFEST, "", "", N_("film links cannot be checked: {problem}"), problem=said)
    return loader.load(manifest)
