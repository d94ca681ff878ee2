# lossbook: every job goes through this file. See README.md.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
JB := $(VENV)/bin/jupyter-book
MATHJAX_VERSION := 3.2.2
MATHJAX := _build/.assets/mathjax/es5/tex-chtml.js

# TensorFlow's C++ logs would otherwise land in stored stderr outputs.
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0

# Where the notebooks run (nbval, make execute, JupyterLab), the numeric libraries
# take the same code path on every x86-64 machine: NumPy, OpenBLAS, PyTorch, MKL
# and oneDNN otherwise pick kernels by CPU (AVX2, AVX-512), and their last bits,
# amplified by an optimizer, change the stored outputs from one machine to the next.
NUMERIC_PINS := NPY_ENABLE_CPU_FEATURES=X86_V2 OPENBLAS_CORETYPE=Nehalem OPENBLAS_NUM_THREADS=1 \
  ATEN_CPU_CAPABILITY=default MKL_CBWR=COMPATIBLE DNNL_MAX_CPU_ISA=SSE41

.PHONY: help env book-env book book-student test test-unit lint nbval check-notebooks site-test lab lab-student lab-test translations check-translations pdf pdf-zh bench execute clean

help:
	@echo "make book          build the website, English and Chinese, into _build/html/{en,zh_CN}"
	@echo "make translations  update the Chinese catalogs in locale/zh_CN after changing the text"
	@echo "make pdf, pdf-zh   the book as a PDF, English or Chinese, in _build/pdf/"
	@echo "make test          run every test: lint, types, lossbook, notebooks (nbval), -W build, browser"
	@echo "make book-student  build the student edition (no solutions) into _build/student/_build/html"
	@echo "make lab           open the reader's copy of the chapters in JupyterLab (_build/lab)"
	@echo "make lab-student   the same without the solutions (_build/lab-student)"
	@echo "make execute NB=chapters/02_entropy.ipynb   re-execute one notebook in place"
	@echo "make bench         benchmark lossbook (BENCH_ARGS=--book: the book too); benchmarks/RESULTS.md"

# The pinned environment: pyproject.toml says what, constraints.txt says which version.
# One .venv, filled in two steps: the book's build tools first (all `make book`
# needs: the site renders the committed outputs), then, on top of them, both
# frameworks, the test tools and JupyterLab (what executes the notebooks, runs the
# tests and opens the chapters).
# The book's tools go in with uv (pinned like the rest), which downloads in
# parallel: on a fresh machine 9 s against pip's 55 s (the venv starts without
# pip, and the machine's pip puts uv into it).  The second step uses pip, which
# takes the PyTorch wheel this machine keeps on disk.
$(VENV)/.book-installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv --without-pip $(VENV)
	$(PYTHON) -m pip --python $(PY) install --quiet --disable-pip-version-check -c constraints.txt uv
	$(PY) -m uv pip install --quiet --python $(PY) -c constraints.txt -e ".[book]"
	touch $@

$(VENV)/.installed: $(VENV)/.book-installed
	$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade >/dev/null
	$(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e ".[book,run,test,lab]"
	touch $@

book-env: $(VENV)/.book-installed

env: $(VENV)/.installed

$(MATHJAX):
	mkdir -p _build/.npm _build/.assets/mathjax
	cd _build/.npm && npm pack --silent mathjax@$(MATHJAX_VERSION) >/dev/null
	tar -xzf _build/.npm/mathjax-$(MATHJAX_VERSION).tgz -C _build/.assets/mathjax --strip-components=1 package/es5
	test -f $@

# Both editions from the same sources, side by side: _build/html/en and
# _build/html/zh_CN (tests/tools/i18n.py derives the zh config and assembles).
ZH := zh_CN
# The two builds run at once, one per core; each fails on any warning.  The site
# is rebuilt only when one of the files it is made from is newer than it, so a
# `make book` with nothing changed returns at once.
SITE := _build/html/.built
SITE_SOURCES := _config.yml _toc.yml intro.md references.bib benchmarks/RESULTS.md \
  tests/tools/i18n.py $(wildcard _build/pdf/lossbook*.pdf) \
  $(shell find chapters _ext _static locale -type f ! -name '*.mo' ! -path '*/__pycache__/*' \
    ! -path '*/.ipynb_checkpoints/*')
book: $(SITE)

$(SITE): $(VENV)/.book-installed $(MATHJAX) $(SITE_SOURCES)
	$(PY) tests/tools/i18n.py config _build/$(ZH)
	$(JB) build . -W -n --keep-going --path-output _build/en & en=$$!; \
	$(JB) build . -W -n --keep-going --config _build/$(ZH)/_config.yml --toc _build/$(ZH)/_toc.yml --path-output _build/$(ZH); zh=$$?; \
	wait $$en && test $$zh -eq 0
	$(PY) tests/tools/i18n.py assemble
	touch $@

# The PDFs for printing (XeLaTeX from Debian's TeX packages, see README); a site
# built after them offers each as lossbook.pdf.
PDF_BUILD = $(JB) build . --builder pdflatex -W -n --keep-going
pdf: book-env
	$(PY) tests/tools/pdf.py config _build/pdf/en
	$(PDF_BUILD) --config _build/pdf/en/_config.yml --path-output _build/pdf/en
	cp _build/pdf/en/_build/latex/lossbook.pdf _build/pdf/lossbook.pdf
	$(PY) tests/tools/pdf.py check _build/pdf/lossbook.pdf _build/pdf/en/_build/latex/lossbook.log

pdf-zh: book-env
	$(PY) tests/tools/pdf.py config _build/pdf/$(ZH) --zh
	$(PDF_BUILD) --config _build/pdf/$(ZH)/_config.yml --toc _build/pdf/$(ZH)/_toc.yml --path-output _build/pdf/$(ZH)
	cp _build/pdf/$(ZH)/_build/latex/lossbook.pdf _build/pdf/lossbook-$(ZH).pdf
	$(PY) tests/tools/pdf.py check _build/pdf/lossbook-$(ZH).pdf _build/pdf/$(ZH)/_build/latex/lossbook.log --zh

# After changing any Markdown: update locale/zh_CN (new and changed messages), then translate them.
translations: book-env
	$(PY) tests/tools/i18n.py update

# Every message translated, none fuzzy or stale, math untranslated, roles kept.
check-translations: book-env
	$(PY) tests/tools/i18n.py check

book-student: book-env $(MATHJAX)
	$(PY) tests/tools/student_edition.py _build/student_src
	$(JB) build _build/student_src -W -n --keep-going --path-output _build/student
	$(PY) tests/tools/check_student.py _build/student/_build/html $(if $(wildcard _build/html/en/index.html),_build/html/en)

test: env lint check-translations test-unit check-notebooks nbval pdf pdf-zh book book-student site-test lab-test
	@echo "make test: all checks passed"

lint: env
	$(VENV)/bin/ruff check lossbook tests chapters benchmarks _ext
	$(VENV)/bin/ruff format --check lossbook tests chapters benchmarks _ext
	$(VENV)/bin/mypy --strict lossbook

test-unit: env
	$(PY) -m pytest tests --ignore=tests/site --ignore=tests/lab -p no:cacheprovider

check-notebooks: env
	$(PY) tests/tools/check_notebooks.py chapters

nbval: env
	$(NUMERIC_PINS) $(PY) -m pytest --nbval chapters --nbval-sanitize-with tests/nbval_sanitize.cfg -n 2 --dist loadscope -p no:cacheprovider

site-test: env book
	$(PY) -m pytest tests/site -p no:cacheprovider
	@echo "site-test: screenshots of the entropy chapter (light, dark) in _build/screenshots/"

# The reader's copy: the chapters with every glued number, link and citation
# written out, so that JupyterLab (with jupyterlab-myst) shows what the website
# shows.  The sources in chapters/ stay the authors' copies.
LAB_ARGS = --ServerApp.root_dir=$(LAB_DIR) $(if $(filter 0,$(shell id -u)),--allow-root)

lab: LAB_DIR := _build/lab
lab: env
	$(PY) tests/tools/reader_edition.py $(LAB_DIR)
	@echo "make lab: opening the reader's copy in $(LAB_DIR)/ (start with intro.ipynb); edit the sources in chapters/"
	$(NUMERIC_PINS) $(VENV)/bin/jupyter lab $(LAB_ARGS)

lab-student: LAB_DIR := _build/lab-student
lab-student: env
	$(PY) tests/tools/reader_edition.py $(LAB_DIR) --student
	@echo "make lab-student: opening the student's copy (no solutions) in $(LAB_DIR)/"
	$(NUMERIC_PINS) $(VENV)/bin/jupyter lab $(LAB_ARGS)

# Every page in JupyterLab in headless Chromium: no raw MyST, numbers not keys, Run All clean.
lab-test: env
	$(NUMERIC_PINS) $(PY) -m pytest tests/lab -p no:cacheprovider
	@echo "lab-test: a screenshot of the entropy chapter in JupyterLab in _build/screenshots/"

execute: env
	@test -n "$(NB)" || { echo "usage: make execute NB=chapters/NN_name.ipynb"; exit 2; }
	$(NUMERIC_PINS) $(VENV)/bin/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.timeout=300 --ExecutePreprocessor.record_timing=False $(NB)

# make bench BENCH_ARGS=--book also times the book build, nbval, each chapter and make test.
bench: env
	$(PY) benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf _build
