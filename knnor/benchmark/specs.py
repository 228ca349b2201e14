"""Name an estimator on the command line: ``[label=]name[{json params}]``.

One string says which estimator, with which parameters, under which label in
the results, so that a run is reproducible from its command line alone.
``name`` is a registry key (``"SMOTE"``, ``"knn"``) or an import path
``"package.module:ClassName"``; the JSON object holds constructor parameters.
"""

import importlib
import inspect
import json
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spec:
    """A parsed estimator specification.

    Attributes
    ----------
    name : str
        Registry key or ``"package.module:ClassName"``.
    params : dict
        Constructor parameters, from the JSON part.
    label : str
        Name used in the results: the explicit ``label=`` prefix, else
        ``name`` followed by the parameters as compact sorted JSON, so that two
        configurations of one estimator never share a label.
    """

    name: str
    params: dict = field(default_factory=dict)
    label: str = ""

    def __post_init__(self):
        if not self.label:
            suffix = json.dumps(self.params, sort_keys=True, separators=(",", ":"))
            object.__setattr__(self, "label", self.name + (suffix if self.params else ""))


def parse_spec(text):
    """Parse ``[label=]name[{json params}]`` into a :class:`Spec`.

    Parameters
    ----------
    text : str or Spec
        A :class:`Spec` is returned unchanged.

    Returns
    -------
    Spec
    """
    if isinstance(text, Spec):
        return text
    text = text.strip()
    brace = text.find("{")
    head, params = (text, {}) if brace < 0 else (text[:brace], text[brace:])
    if params:
        try:
            params = json.loads(params)
        except json.JSONDecodeError as exc:
            raise ValueError(f"parameters of {text!r} are not valid JSON: {exc}") from None
        if not isinstance(params, dict):
            raise ValueError(f"parameters of {text!r} must be a JSON object")
    label, _, name = head.rpartition("=")
    if not name.strip():
        raise ValueError(f"no estimator name in {text!r}")
    return Spec(name=name.strip(), params=params, label=label.strip())


def split_specs(text):
    """Split a comma-separated list of specifications, leaving commas inside JSON alone.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of str
    """
    parts, start, depth, in_string, escaped = [], 0, 0, False, False
    for i, char in enumerate(text):
        if in_string:
            escaped = char == "\\" and not escaped
            in_string = escaped or char != '"'
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
        elif char in "}]":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [part.strip() for part in parts if part.strip()]


def resolve(name, registry, kind):
    """Find the factory for ``name``: a registry key, else an import path.

    Parameters
    ----------
    name : str
    registry : dict of str to callable
    kind : str
        ``"sampler"`` or ``"classifier"``, for the error message.

    Returns
    -------
    callable
    """
    if name in registry:
        return registry[name]
    module_name, colon, attribute = name.partition(":")
    if not colon:
        raise ValueError(
            f"unknown {kind} {name!r}; choose from {', '.join(registry)} "
            "or give an import path 'package.module:ClassName'"
        )
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except (ImportError, AttributeError) as exc:
        raise ValueError(f"cannot import {kind} {name!r}: {exc}") from None


def instantiate(factory, params, random_state):
    """Call ``factory(**params)``, adding ``random_state`` when the factory takes one.

    A ``random_state`` given in ``params`` wins over the derived one.

    Parameters
    ----------
    factory : callable
    params : dict
    random_state : int

    Returns
    -------
    object
    """
    try:
        accepted = inspect.signature(factory).parameters
    except (TypeError, ValueError):  # some builtins have no signature
        accepted = {}
    if "random_state" in accepted:
        params = {"random_state": random_state, **params}
    return factory(**params)
