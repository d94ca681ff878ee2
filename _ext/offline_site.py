"""Keep every page of the website self-contained (see issue 4).

A local Sphinx extension, loaded from _config.yml (``sphinx: local_extensions``):

* Jupyter Book always loads sphinx-thebe, even with live code off
  (``launch_buttons: thebe: false``).  Its inline script names a CDN
  (unpkg.com) and, with Sphinx 7.4, is emitted twice, so the second copy fails
  with "Identifier 'THEBE_JS_URL' has already been declared" in every page's
  console.  Live code needs the network, so this book drops thebe's assets
  and the (inert) thebe/Binder config block it writes into every page body.
* Inline scripts registered twice for the same reason are emitted once.
* Any <script src> or stylesheet that points off the site (``scheme://``) is a
  Sphinx warning, which ``make book`` (-W) turns into an error: for example a
  CDN ``mathjax_path`` put back into _config.yml.
"""

from __future__ import annotations

import os
import re
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

THEBE_FILES = {"sphinx-thebe.js", "sphinx-thebe.css"}
THEBE_CONFIG = re.compile(r'\s*<script type="text/x-thebe-config">.*?</script>', re.DOTALL)


def _name(asset: Any) -> str:
    return os.fspath(getattr(asset, "filename", asset) or "")


def _is_thebe(asset: Any) -> bool:
    body = getattr(asset, "attributes", {}).get("body") or ""
    return os.path.basename(_name(asset)) in THEBE_FILES or "THEBE_JS_URL" in body


def _clean(
    app: Sphinx, pagename: str, templatename: str, context: dict[str, Any], doctree: Any
) -> None:
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if assets is None:
            continue
        kept: list[Any] = []
        seen_inline: set[str] = set()
        for asset in assets:
            if _is_thebe(asset):
                continue
            name = _name(asset)
            if not name:  # an inline <script>: keep the first copy of each body
                body = getattr(asset, "attributes", {}).get("body") or ""
                if body in seen_inline:
                    continue
                seen_inline.add(body)
            elif "://" in name or name.startswith("//"):
                logger.warning(
                    "%s: %s loads %s from outside the site; serve it from the site instead",
                    pagename,
                    key,
                    name,
                    type="offline_site",
                )
            kept.append(asset)
        context[key] = kept
    if "body" in context:
        context["body"] = THEBE_CONFIG.sub("", context["body"])


def setup(app: Sphinx) -> dict[str, Any]:
    # after the handlers (MathJax, myst-nb) that add per-page assets
    app.connect("html-page-context", _clean, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
