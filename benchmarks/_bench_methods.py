"""The samplers bench_vs_smote.py compares, and its labelled KNNOR configurations.

``--knnor 'label=JSON'`` names a set of KNNOR parameters; ``--paper`` is
``paper=`` with ``knnor.PAPER_PARAMS``. Every KNNOR, labelled or not, gets
``random_state=0`` and ``n_jobs=--n-jobs`` unless its parameters say otherwise.
"""

import argparse
import json
import re

from imblearn.over_sampling import SMOTE
from sklearn.neighbors import NearestNeighbors

import knnor
from knnor import KNNOR

CHILD_METHODS = ("baseline", "smote", "knnor")
LABEL_PATTERN = re.compile(r"[A-Za-z0-9_.+-]+")


def new_knnor(params=None, n_jobs=None, filter_search="exact"):
    """``KNNOR(random_state=0, n_jobs=n_jobs, filter_search=filter_search, **params)``."""
    defaults = {"random_state": 0, "n_jobs": n_jobs, "filter_search": filter_search}
    return KNNOR(**{**defaults, **(params or {})})


def new_smote():
    return SMOTE(random_state=0)


def new_smote_jobs(n_jobs):
    return SMOTE(random_state=0, k_neighbors=NearestNeighbors(n_neighbors=6, n_jobs=n_jobs))


def config_name(label):
    """How a labelled configuration is named in the output: 'knnor[label]'."""
    return f"knnor[{label}]"


def describe(params):
    """'KNNOR(n_neighbors=5, filter_rule='unanimous')'."""
    return "KNNOR(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")"


def check_knnor_params(params, label):
    """Raise argparse.ArgumentTypeError unless ``params`` are valid KNNOR parameters."""
    if not isinstance(params, dict):
        raise argparse.ArgumentTypeError(
            f"{label}: expected a JSON object of KNNOR parameters, got {json.dumps(params)}"
        )
    known = KNNOR().get_params()
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise argparse.ArgumentTypeError(
            f"{label}: unknown KNNOR parameter(s) {', '.join(map(repr, unknown))}; "
            f"valid: {', '.join(sorted(known))}"
        )
    try:
        new_knnor(params)._validate_params()  # scikit-learn's own parameter constraints
    except (TypeError, ValueError) as error:
        raise argparse.ArgumentTypeError(f"{label}: {error}") from None


def parse_knnor_config(text):
    """``'label={"n_neighbors": 3}'`` -> ``('label', {'n_neighbors': 3})``; argparse type."""
    label, sep, spec = text.partition("=")
    label = label.strip()
    if not sep or not LABEL_PATTERN.fullmatch(label):
        raise argparse.ArgumentTypeError(
            f"expected LABEL=JSON with a label of letters, digits, '_', '.', '+' or '-', "
            f"e.g. 'k3={{\"n_neighbors\": 3}}'; got {text!r}"
        )
    try:
        params = json.loads(spec)
    except json.JSONDecodeError as error:
        raise argparse.ArgumentTypeError(f"{label}: invalid JSON {spec!r}: {error}") from None
    check_knnor_params(params, label)
    return label, params


def paper_config():
    """``('paper', knnor.PAPER_PARAMS)``, for ``--paper`` (params None if knnor has none)."""
    params = getattr(knnor, "PAPER_PARAMS", None)
    return "paper", None if params is None else dict(params)


def knnor_configs(args):
    """The labelled configurations of a run, in the order given: [(label, params)]."""
    return list(getattr(args, "knnor", None) or [])
