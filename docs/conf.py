"""Sphinx configuration of the knnor documentation.

Build (offline; runs the gallery):
``python -m sphinx -W --keep-going -b html docs docs/_build/html``
"""

import os

import knnor

os.environ.setdefault("MPLBACKEND", "Agg")

project = "knnor"
author = "The knnor developers"
copyright = "The knnor developers"  # noqa: A001
version = release = knnor.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "numpydoc",
    "matplotlib.sphinxext.plot_directive",
    "sphinx_gallery.gen_gallery",
    "myst_parser",
]
# No intersphinx: the build must not reach the internet.

source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
root_doc = "index"
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "examples",
    "image/results",
    "regression/results",
    "keel-benchmark/results",
    "auto_examples/*.ipynb",
    "auto_examples/*.py",
    "auto_examples/*.zip",
    "auto_examples/*.json",
]

# Markdown pages: headings get anchors so that in-page links (#reproduce) resolve.
myst_heading_anchors = 3
myst_enable_extensions = ["dollarmath"]

# API reference: one page per public name, numpydoc sections.
autosummary_generate = True
autodoc_default_options = {"members": True, "inherited-members": True}
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False

# The user guide's figures are drawn by the code beside them, at build time.
plot_include_source = True
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 110)]
plot_rcparams = {"figure.autolayout": True}

sphinx_gallery_conf = {
    "examples_dirs": "examples",
    "gallery_dirs": "auto_examples",
    "filename_pattern": "/plot_",
    "ignore_pattern": r"__init__\.py",
    "download_all_examples": False,
    "remove_config_comments": True,
    "within_subsection_order": "FileNameSortKey",  # plot_<n>_: the order to read them in
    "doc_module": ("knnor",),
    "backreferences_dir": "generated/backreferences",
    "reference_url": {"knnor": None},
    "show_memory": False,
    "min_reported_time": 1,
}

html_theme = "pydata_sphinx_theme"
html_title = f"knnor {release}"
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "header_links_before_dropdown": 6,
}
html_sidebars = {"changelog": [], "citing": []}
html_static_path = []
html_copy_source = False
