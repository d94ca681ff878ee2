"""Print the student edition's Jupyter Book config: _config.yml with solutions hidden.

sphinx-exercise's `hide_solutions` removes every solution (gated ones included)
from the build. Used by `make book-student`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

root = Path(__file__).resolve().parents[2]
config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
config["title"] = f"{config['title']} (student edition)"
config.setdefault("sphinx", {}).setdefault("config", {})["hide_solutions"] = True
yaml.safe_dump(config, sys.stdout, allow_unicode=True, sort_keys=False)
