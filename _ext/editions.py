"""The language switcher between the English and the Chinese edition (issue 17).

A local Sphinx extension, loaded from _config.yml (``sphinx: local_extensions``).
Jupyter Book 1 has no language switcher, so this one is pydata-sphinx-theme's
version switcher: each edition is a "version" named by its language, listed in
``/switcher.json`` at the site root (``tests/tools/i18n.py assemble`` writes it),
and shown at the top of every page.  Choosing the other language opens the same
page in it.  The list is read in the browser, never at build time
(``check_switcher: False``), so the build needs no network.

Two repairs to Sphinx 7.4 that make the Chinese build as fast as the English one
(without them it took four minutes to the English build's thirteen seconds):

- a node that a translated message produced still points at the small document
  its message was parsed into, and that document's settings hold the whole
  build environment, so every Chinese doctree pickled a copy of it (5.7 MB a
  page, loaded again at every cross-reference);
- the Chinese search index kept every Latin word in one list and searched it
  for each word it stemmed (quadratic); it is kept as a set here.

And one to myst-parser 3.0.1, which builds a throwaway document with freshly
parsed default settings for each of the 3,600 translated messages (the default
argument of ``options.get("document", make_document())`` is evaluated even when
the message has its document): the default settings are parsed once here.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from docutils import frontend, nodes, utils
from myst_parser.mdit_to_docutils import base as myst_base
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.search import languages
from sphinx.search.zh import SearchChinese


def _switcher(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    options["switcher"] = {"json_url": "/switcher.json", "version_match": config.language or "en"}
    options["check_switcher"] = False
    options["article_header_end"] = ["version-switcher", "article-header-buttons"]


def _adopt_translated_nodes(app: Sphinx, doctree: nodes.document) -> None:
    for node in doctree.findall():
        if node._document is not None and node._document is not doctree:
            node.document = doctree


class _LatinTerms(set[str]):
    extend = set.update  # SearchChinese.split calls latin_terms.extend(...)


class _SearchChinese(SearchChinese):
    def init(self, options: dict[str, str]) -> None:
        super().init(options)
        self.latin_terms = _LatinTerms()  # type: ignore[assignment]


@functools.cache
def _default_settings(parser_cls: type) -> frontend.Values:
    return frontend.get_default_settings(parser_cls)


def _make_document(source_path: str = "notset", parser_cls: Any = None) -> nodes.document:
    parser_cls = parser_cls or myst_base.RSTParser
    settings = copy.deepcopy(_default_settings(parser_cls))
    return utils.new_document(source_path, settings=settings)


def setup(app: Sphinx) -> dict[str, Any]:
    myst_base.make_document = _make_document
    app.connect("config-inited", _switcher)
    app.connect("doctree-read", _adopt_translated_nodes)
    languages["zh"] = _SearchChinese
    return {"parallel_read_safe": True, "parallel_write_safe": True}
