"""The book as a PDF for printing, in English or Chinese, from the same sources (issue 17).

Usage:
  python tests/tools/pdf.py config OUT_DIR [--zh]   write the LaTeX build's _config.yml
  python tests/tools/pdf.py check PDF LOG [--zh]    no missing character, every chapter title

`make pdf` (and `make pdf-zh`) builds with Jupyter Book's pdflatex builder and
XeLaTeX, from Debian's TeX packages (README).  The config is derived from
_config.yml (the Chinese one from the zh edition's config), with:

- a four-line stand-in for bbm.sty, which Jupyter Book's LaTeX class asks for and
  which Debian ships only in a 1.4 GB package (amssymb's \\mathbb for \\mathbbm);
- xeCJK with the Noto CJK fonts, for the glossary's Chinese terms (and the whole
  Chinese edition), and the typographic quotes kept in the Latin font, or they
  print as wide CJK quotes;
- no xindy (Debian's TeX does not ship it for these languages).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import i18n  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BBM = r"""% A stand-in for bbm.sty: Jupyter Book's LaTeX class loads it for \mathbbm.
\ProvidesPackage{bbm}
\RequirePackage{amssymb}
\newcommand{\mathbbm}[1]{\mathbb{#1}}
"""
PREAMBLE = r"""
\usepackage{xeCJK}
\setCJKmainfont{Noto Serif CJK SC}
\setCJKsansfont{Noto Sans CJK SC}
\setCJKmonofont{Noto Sans Mono CJK SC}
% Latin Modern Math has no U+29F5, which unicode-math gives \setminus
\AtBeginDocument{\renewcommand{\setminus}{\mathbin{\backslash}}}
"""
LATIN_QUOTES = '\\xeCJKDeclareCharClass{Default}{"2018, "2019, "201C, "201D}\n'
# Chinese headings: no "CHAPTER ELEVEN" spelled out in English words.
CHINESE_HEADINGS = r"""
\AtBeginDocument{\renewcommand{\contentsname}{目录}\renewcommand{\chaptername}{}}
"""


def config(out: Path, zh: bool) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "bbm.sty").write_text(BBM, encoding="utf-8")
    if zh:
        i18n.config(out)  # the zh edition's config and toc, paths already absolute
        cfg = yaml.safe_load((out / "_config.yml").read_text(encoding="utf-8"))
    else:
        cfg = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
        exts = cfg["sphinx"].get("local_extensions", {})
        cfg["sphinx"]["local_extensions"] = {k: str(ROOT / v) for k, v in exts.items()}
        cfg["html"]["favicon"] = str(ROOT / cfg["html"]["favicon"])
        cfg["bibtex_bibfiles"] = [str(ROOT / b) for b in cfg["bibtex_bibfiles"]]
    sphinx = cfg["sphinx"]["config"]
    sphinx["html_extra_path"] = []
    sphinx["latex_engine"] = "xelatex"
    sphinx["latex_use_xindy"] = False
    sphinx["latex_additional_files"] = [str(out / "bbm.sty")]
    sphinx["latex_elements"] = {"preamble": PREAMBLE + (CHINESE_HEADINGS if zh else LATIN_QUOTES)}
    if zh:
        sphinx["latex_elements"]["fncychap"] = ""
    cfg["latex"] = {"latex_documents": {"targetname": "lossbook.tex"}}
    (out / "_config.yml").write_text(
        yaml.safe_dump(cfg, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def titles(zh: bool) -> list[str]:
    """Every chapter's title as the PDF prints it (the zh ones from the catalogs)."""
    sys.path.insert(0, str(ROOT / "tests" / "tools"))
    import reader_edition

    pages = [p for p in reader_edition.book_pages() if p.number]
    if not zh:
        return [p.title for p in pages]
    found = []
    for page in pages:
        catalog = i18n.catalogs(i18n.po_dir(), ".po").get(page.docname)
        message = catalog.get(page.title) if catalog else None
        found.append(message.string if message and message.string else page.title)
    return found


def check(pdf: Path, log: Path, zh: bool) -> None:
    problems = []
    missing = sorted(
        set(
            re.findall(
                r"Missing character: There is no (.+?) in font",
                log.read_text(encoding="utf-8", errors="replace"),
            )
        )
    )
    if missing:
        problems.append(f"{len(missing)} missing characters: {missing[:20]}")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = "".join(text.split())  # pdftotext may drop the space between Latin and CJK
    for title in titles(zh):
        if "".join(title.split()) not in flat:
            problems.append(f"the chapter title {title!r} is not in the PDF")
    pages = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    n = re.search(r"Pages:\s+(\d+)", pages.stdout)
    if problems:
        raise SystemExit(f"{pdf}:\n  - " + "\n  - ".join(problems))
    print(f"{pdf}: {n.group(1) if n else '?'} pages, no missing character, every chapter title")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--zh"]
    zh = "--zh" in sys.argv[1:]
    if args[:1] == ["config"] and len(args) == 2:
        config(Path(args[1]), zh)
    elif args[:1] == ["check"] and len(args) == 3:
        check(Path(args[1]), Path(args[2]), zh)
    else:
        raise SystemExit(__doc__)
