"""Write the reader's copy for JupyterLab: the book as notebooks that read like the website.

Usage: python tests/tools/reader_edition.py OUT_DIR [--student]

JupyterLab with jupyterlab-myst renders most of the book's MyST (admonitions,
math with equation numbers, exercises), but not what the website resolves
across pages or from stored outputs: a `{glue:text}` role shows its key, and
`{term}`, `{cite}`, `{doc}`, `{ref}` and `{numref}` need the whole book.  The
website's sources stay the authors' copy; this script writes a copy of them in
which each such role is replaced by what the website shows:

- `{glue:text}`key:fmt`` by the stored glue record, formatted as the site does;
- `{term}`, `{doc}`, `{ref}` and `{numref}` by Markdown links to the notebook
  (and heading) they name, with the same text and numbers as the site;
- `{cite}` by the site's citation label, linked to the references page;
- a figure's caption (kept in its cell's metadata) by a Markdown cell below it;
- the Markdown pages (introduction, glossary, benchmarks, references) by
  one-cell notebooks, their `{tableofcontents}`, `{include}` and
  `{bibliography}` directives written out.

`--student` also removes every exercise solution, as the student edition does.
A role or target this script does not know is an error, so a new construct
fails `make lab-test` instead of showing raw markup.  A copy that a reader has
changed since it was written is kept, and the script says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from myst_nb.core.variables import format_plain_text
from student_edition import cell_text, strip_solutions

ROOT = Path(__file__).resolve().parents[2]
MANIFEST = ".reader-edition.json"
ROLE = re.compile(r"\{(?P<role>[a-z:\-]+)\}`(?P<body>[^`]*)`")
TITLED = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
LABEL_LINE = re.compile(r"^\((?P<label>[\w\-]+)\)=\s*$", re.M)
HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>.+?)\s*$", re.M)
EXERCISE = re.compile(r"^```+\{exercise\}[^\n]*\n(?::[a-z]+:[^\n]*\n)*?:label:\s*(\S+)", re.M)
DIRECTIVE = re.compile(
    r"^(?P<fence>```+|:::+)\{(?P<name>[a-z\-]+)\}(?P<arg>[^\n]*)\n(?P<body>.*?)^(?P=fence)\s*$",
    re.M | re.S,
)
MATH_LABEL = re.compile(r"^```+\{math\}[^\n]*\n(?::[a-z]+:[^\n]*\n)*?:label:\s*(\S+)", re.M)
GLUE_MIME = "application/papermill.record/text/plain"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


@dataclass
class Page:
    """One page of the book: its source, its cells and what other pages may link to."""

    docname: str  # "chapters/02_entropy", as in _toc.yml
    source: Path
    number: str | None  # "2" for a numbered chapter, None for the intro and appendices
    nb: dict
    title: str = ""
    glue: dict[str, str] = field(default_factory=dict)  # name -> stored text/plain

    @property
    def out_name(self) -> str:
        return self.docname + ".ipynb"


def load_page(docname: str, number: str | None) -> Page:
    for suffix in (".ipynb", ".md"):
        path = ROOT / (docname + suffix)
        if path.exists():
            break
    else:
        raise SystemExit(f"{docname}: no .ipynb or .md source")
    if path.suffix == ".ipynb":
        nb = json.loads(path.read_text(encoding="utf-8"))
    else:  # a Markdown page becomes a notebook of one Markdown cell
        nb = {
            "cells": [{"cell_type": "markdown", "metadata": {}, "source": path.read_text("utf-8")}],
            "metadata": {"kernelspec": KERNELSPEC, "language_info": {"name": "python"}},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    page = Page(docname, path, number, nb)
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and not page.title:
            m = re.search(r"^#\s+(.+?)\s*$", cell_text(cell), re.M)
            page.title = m.group(1) if m else ""
        for out in cell.get("outputs", []):
            name = out.get("metadata", {}).get("scrapbook", {}).get("name")
            if name and GLUE_MIME in out.get("data", {}):
                page.glue[name] = "".join(out["data"][GLUE_MIME])
    return page


def book_pages() -> list[Page]:
    """The intro and every page of _toc.yml, in order, numbered as the site numbers them."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages, n = [load_page(toc["root"], None)], 0
    for part in toc.get("parts", []):
        for chapter in part["chapters"]:
            n += bool(part.get("numbered"))
            pages.append(load_page(chapter["file"], str(n) if part.get("numbered") else None))
    return pages


def heading_anchor(text: str) -> str:
    """JupyterLab's id for a rendered heading: its text with spaces turned into dashes."""
    return re.sub(r"\s", "-", re.sub(r"[`*]", "", text).strip())


@dataclass
class Target:
    page: Page
    text: str  # what the site shows for {ref} or {numref}
    anchor: str = ""


class Book:
    """Every label of the book, so that roles can be resolved as the site resolves them."""

    def __init__(self, pages: list[Page]) -> None:
        self.pages = {p.docname: p for p in pages}
        self.targets: dict[str, Target] = {}
        self.equations: dict[str, Target] = {}  # label -> page and "(6.3)", as the site numbers
        self.figures: dict[int, dict[str, str]] = {}  # id(cell) -> caption, label text
        self.bib_labels, self.bib_entries = bibliography()
        for page in pages:
            self._collect(page)

    def _collect(self, page: Page) -> None:
        figures = exercises = equations = 0
        for cell in page.nb["cells"]:
            text = cell_text(cell)
            if cell["cell_type"] == "markdown":
                for m in LABEL_LINE.finditer(text):
                    h = HEADING.search(text, m.end())
                    if h is None or text[m.end() : h.start()].strip():
                        raise SystemExit(
                            f"{page.docname}: label ({m['label']})= is not on a heading"
                        )
                    self.targets[m["label"]] = Target(page, h["text"], heading_anchor(h["text"]))
                for label in MATH_LABEL.findall(text):
                    equations += 1
                    number = f"{page.number}.{equations}" if page.number else str(equations)
                    self.equations[label] = Target(page, f"({number})")
                for label in EXERCISE.findall(text):
                    exercises += 1  # numbered in each notebook, as jupyterlab-myst numbers them
                    self.targets[label] = Target(page, f"Exercise {exercises}")
            fig = cell.get("metadata", {}).get("mystnb", {}).get("figure")
            if fig:
                figures += 1
                number = f"{page.number}.{figures}" if page.number else str(figures)
                self.targets[fig["name"]] = Target(page, f"Fig. {number}")
                self.figures[id(cell)] = {
                    "caption": fig.get("caption", ""),
                    "label": f"Fig. {number}",
                }

    def link(self, here: Page, page: Page, anchor: str = "") -> str:
        rel = os.path.relpath(page.out_name, os.path.dirname(here.out_name) or ".")
        return f"{Path(rel).as_posix()}{'#' + anchor if anchor else ''}"

    # ------------------------------------------------------------ roles

    def role(self, here: Page, role: str, body: str) -> str:
        m = TITLED.match(body)
        text, target = (m["text"], m["target"]) if m else (None, body)
        if role == "glue:text":
            return self.glue(here, body)
        if role == "term":
            glossary = self.pages["chapters/a3_glossary"]
            return f"[{text or target}]({self.link(here, glossary)})"
        if role == "doc":
            page = self.pages.get(os.path.normpath(Path(here.docname).parent / target))
            page = page or self.pages.get(target)
            if page is None:
                raise SystemExit(f"{here.docname}: {{doc}} target {target!r} is not in _toc.yml")
            return f"[{text or page.title}]({self.link(here, page)})"
        if role in ("ref", "numref"):
            t = self.targets.get(target)
            if t is None:
                raise SystemExit(f"{here.docname}: {{{role}}} target {target!r} is unknown")
            shown = text.replace("{number}", t.text.split()[-1]) if text else t.text
            return f"[{shown}]({self.link(here, t.page, t.anchor)})"
        if role == "eq":
            eq = self.equations.get(target)
            if eq is None:
                raise SystemExit(f"{here.docname}: {{eq}} target {target!r} is unknown")
            if eq.page is here:
                return f"{{eq}}`{body}`"  # jupyterlab-myst numbers and links its own equations
            return f"[{eq.text}]({self.link(here, eq.page)})"
        if role == "cite":
            refs = self.pages["chapters/a5_references"]
            labels = []
            for key in (k.strip() for k in target.split(",")):
                if key not in self.bib_labels:
                    raise SystemExit(
                        f"{here.docname}: {{cite}} key {key!r} is not in references.bib"
                    )
                labels.append(self.bib_labels[key])
            return f"[[{', '.join(labels)}]]({self.link(here, refs)})"
        raise SystemExit(f"{here.docname}: the role {{{role}}} has no JupyterLab form here")

    def glue(self, here: Page, body: str) -> str:
        """The role's text as myst-nb makes it: ``[<doc>::]<key>[:<format_spec>]``."""
        key, spec = body.rsplit(":", 1) if ":" in body.replace("::", "") else (body, "s")
        page = here
        if "::" in key:
            nbname, key = key.split("::", 1)
            page = self.pages[(Path(here.docname).parent / Path(nbname).stem).as_posix()]
        if key not in page.glue:
            raise SystemExit(f"{here.docname}: no glue record {key!r} in {page.docname}")
        return format_plain_text(page.glue[key], spec)

    def markdown(self, here: Page, text: str) -> str:
        text = DIRECTIVE.sub(lambda m: self.directive(here, m), text)
        return ROLE.sub(lambda m: self.role(here, m["role"], m["body"]), text)

    # ------------------------------------------------------------ directives

    def directive(self, here: Page, m: re.Match[str]) -> str:
        name = m["name"]
        if name == "tableofcontents":
            return "\n".join(
                f"- [{p.number + '. ' if p.number else ''}{p.title}]({self.link(here, p)})"
                for p in self.pages.values()
                if p is not here
            )
        if name == "include":
            path = (here.source.parent / m["arg"].strip()).resolve()
            return path.read_text(encoding="utf-8")
        if name == "glossary":  # a plain definition list, which jupyterlab-myst renders
            return "\n".join(line for line in m["body"].splitlines() if not line.startswith(":"))
        if name == "bibliography":
            return "\n".join(f"- **[{label}]** {entry}" for label, entry in self.bib_entries)
        inner = DIRECTIVE.sub(lambda n: self.directive(here, n), m["body"])
        return f"{m['fence']}{{{name}}}{m['arg']}\n{inner}{m['fence']}"


def bibliography() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The site's citation labels (sphinxcontrib-bibtex's alpha style) and formatted entries."""
    from pybtex.database import parse_file
    from pybtex.plugin import find_plugin

    data = parse_file(str(ROOT / "references.bib"))
    style = find_plugin("pybtex.style.formatting", "alpha")()
    backend = find_plugin("pybtex.backends", "markdown")()
    entries = list(style.format_entries(sorted(data.entries.values(), key=sort_key)))
    labels = {e.key: e.label for e in entries}
    formatted = [(e.label, e.text.render(backend).replace("\\", "")) for e in entries]
    return labels, formatted


def sort_key(entry: object) -> tuple[str, str]:
    persons = getattr(entry, "persons", {}).get("author", [])
    last = " ".join(persons[0].last_names) if persons else ""
    return (last, str(getattr(entry, "fields", {}).get("year", "")))


def reader_notebook(book: Book, page: Page, student: bool) -> dict:
    nb = json.loads(json.dumps(page.nb))  # a deep copy; ids of the original cells name figures
    cells = []
    for original, cell in zip(page.nb["cells"], nb["cells"], strict=True):
        if cell["cell_type"] == "markdown":
            cell["source"] = book.markdown(page, cell_text(cell))
        cells.append(cell)
        fig = book.figures.get(id(original))
        if fig:
            caption = book.markdown(page, fig["caption"])
            cells.append(
                {"cell_type": "markdown", "metadata": {}, "source": f"**{fig['label']}** {caption}"}
            )
    nb["cells"] = cells
    if student:
        strip_solutions(nb)
    return nb


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main(out: Path, student: bool) -> None:
    pages = book_pages()
    book = Book(pages)
    files = {
        p.out_name: json.dumps(reader_notebook(book, p, student), ensure_ascii=False, indent=1)
        + "\n"
        for p in pages
    }
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    files["README.md"] = readme
    manifest_path = out / MANIFEST
    written = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    kept = []
    for name, text in files.items():
        path = out / name
        if path.exists() and name in written and digest(path.read_text("utf-8")) != written[name]:
            kept.append(name)  # the reader changed it: never overwrite a reader's work
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written[name] = digest(text)
    manifest_path.write_text(json.dumps(written, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    edition = "student" if student else "reader"
    print(f"{edition}'s copy for JupyterLab in {out}: {len(files) - len(kept)} files written")
    for name in kept:
        print(f"  kept {name}: changed since it was written (delete it to get a fresh copy)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--student"]
    if len(args) != 1:
        raise SystemExit(__doc__)
    main(Path(args[0]), "--student" in sys.argv[1:])
