"""The language switcher between the English and the Chinese edition (issue 17).

A local Sphinx extension, loaded from _config.yml (``sphinx: local_extensions``).
Jupyter Book 1 has no language switcher, so this one is pydata-sphinx-theme's
version switcher: each edition is a "version" named by its language, listed in
``/switcher.json`` at the site root (``tests/tools/i18n.py assemble`` writes it),
and shown at the top of every page.  Choosing the other language opens the same
page in it.  The list is read in the browser, never at build time
(``check_switcher: False``), so the build needs no network.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx
from sphinx.config import Config


def _switcher(app: Sphinx, config: Config) -> None:
    options = config.html_theme_options
    options["switcher"] = {"json_url": "/switcher.json", "version_match": config.language or "en"}
    options["check_switcher"] = False
    options["article_header_end"] = ["version-switcher", "article-header-buttons"]


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _switcher)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
