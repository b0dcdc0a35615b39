#!/usr/bin/env python3
"""Reads an .xlsx (openpyxl) or .ods (odfpy) file the way a person's
spreadsheet program would and prints what the tests check, as JSON:

    {"sheets": [{"name", "rows": [[text, ...], ...],
                 "links": {"B2": [url, ...]},          # hyperlinks per cell
                 "header_bold": bool,                  # every header cell bold
                 "frozen": "A2" | null,                # first unfrozen cell
                 "autofilter": "A1:H9" | null,
                 "validations": [{"range": "E2:E9", "choices": [..]}],
                 "wrapped": bool}]}                    # body cells wrap

Used by tests/suite/export.rs and tests/browser/export.test.mjs. Needs
openpyxl and odfpy (scripts/test installs them).
"""
import json
import re
import sys


def col_letter(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def read_xlsx(path):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        rows, links = [], {}
        for row in ws.iter_rows():
            cells = []
            for c in row:
                cells.append("" if c.value is None else str(c.value))
                if c.hyperlink is not None and c.hyperlink.target:
                    links[c.coordinate] = [c.hyperlink.target]
            rows.append(cells)
        header = [c for c in ws[1] if c.value is not None] if ws.max_row else []
        validations = []
        for dv in ws.data_validations.dataValidation:
            formula = dv.formula1 or ""
            choices = formula.strip('"').split(",") if dv.type == "list" else []
            validations.append({"range": str(dv.sqref), "choices": choices, "type": dv.type})
        body = [c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None]
        out.append(
            {
                "name": ws.title,
                "rows": rows,
                "links": links,
                "header_bold": bool(header) and all(c.font.b for c in header),
                "frozen": ws.freeze_panes,
                "autofilter": ws.auto_filter.ref,
                "validations": validations,
                "wrapped": bool(body) and all(c.alignment.wrap_text for c in body),
            }
        )
    return out


def read_ods(path):
    from odf.opendocument import load
    from odf import table, text
    from odf.namespaces import TABLENS, TEXTNS, XLINKNS, STYLENS, FONS, CONFIGNS

    doc = load(path)

    def para_text(node):
        parts = []
        for n in node.childNodes:
            if n.nodeType == n.TEXT_NODE:
                parts.append(n.data)
            elif n.qname == (TEXTNS, "s"):
                parts.append(" " * int(n.getAttrNS(TEXTNS, "c") or 1))
            else:
                parts.append(para_text(n))
        return "".join(parts)

    def hrefs(node, found):
        for n in node.childNodes:
            if n.nodeType == n.ELEMENT_NODE:
                if n.qname[1] == "a":
                    found.append(n.getAttrNS(XLINKNS, "href"))
                hrefs(n, found)
        return found

    # Automatic cell styles: which are bold, which wrap.
    bold, wrap = set(), set()
    for st in doc.automaticstyles.childNodes:
        name = st.getAttrNS(STYLENS, "name")
        for p in st.childNodes:
            if p.qname[1] == "text-properties" and p.getAttrNS(FONS, "font-weight") == "bold":
                bold.add(name)
            if p.qname[1] == "table-cell-properties" and p.getAttrNS(FONS, "wrap-option") == "wrap":
                wrap.add(name)

    validations = {}
    for v in doc.spreadsheet.getElementsByType(table.ContentValidation):
        cond = v.getAttrNS(TABLENS, "condition") or ""
        m = re.search(r"cell-content-is-in-list\((.*)\)", cond)
        choices = [c.strip().strip('"') for c in m.group(1).split(";")] if m else []
        validations[v.getAttrNS(TABLENS, "name")] = choices

    ranges = {}
    for r in doc.spreadsheet.getElementsByType(table.DatabaseRange):
        if r.getAttrNS(TABLENS, "display-filter-buttons") == "true":
            addr = r.getAttrNS(TABLENS, "target-range-address")
            m = re.match(r"'?(.*?)'?\.([A-Z]+\d+):'?.*?'?\.([A-Z]+\d+)$", addr)
            if m:
                ranges[m.group(1).replace("''", "'")] = f"{m.group(2)}:{m.group(3)}"

    frozen = {}
    settings = doc.settings
    for entry in settings.getElementsByType(__import__("odf.config", fromlist=["x"]).ConfigItemMapEntry):
        name = entry.getAttrNS(CONFIGNS, "name")
        if not name:
            continue
        items = {}
        for it in entry.childNodes:
            if it.qname[1] == "config-item":
                items[it.getAttrNS(CONFIGNS, "name")] = "".join(
                    n.data for n in it.childNodes if n.nodeType == n.TEXT_NODE
                )
        if items.get("VerticalSplitMode") == "2":
            frozen[name] = f"A{int(items.get('VerticalSplitPosition', '0')) + 1}"

    out = []
    for t in doc.spreadsheet.getElementsByType(table.Table):
        name = t.getAttrNS(TABLENS, "name")
        rows, links, header_styles, body_styles = [], {}, [], []
        dv = {}
        for ri, row in enumerate(t.getElementsByType(table.TableRow)):
            cells = []
            for ci, cell in enumerate(row.getElementsByType(table.TableCell)):
                paras = [para_text(p) for p in cell.getElementsByType(text.P)]
                value = "\n".join(paras)
                cells.append(value)
                found = hrefs(cell, [])
                if found:
                    links[f"{col_letter(ci)}{ri + 1}"] = found
                style = cell.getAttrNS(TABLENS, "style-name")
                if value:
                    (header_styles if ri == 0 else body_styles).append(style)
                v = cell.getAttrNS(TABLENS, "content-validation-name")
                if v:
                    dv.setdefault(v, []).append(f"{col_letter(ci)}{ri + 1}")
            while cells and cells[-1] == "":
                cells.pop()
            rows.append(cells)
        while rows and not rows[-1]:
            rows.pop()
        out.append(
            {
                "name": name,
                "rows": rows,
                "links": links,
                "header_bold": bool(header_styles) and all(s in bold for s in header_styles),
                "frozen": frozen.get(name),
                "autofilter": ranges.get(name),
                "validations": [
                    {"range": f"{cells[0]}:{cells[-1]}", "choices": validations.get(v, []), "type": "list"}
                    for v, cells in dv.items()
                ],
                "wrapped": bool(body_styles) and all(s in wrap for s in body_styles),
            }
        )
    return out


def main():
    path = sys.argv[1]
    sheets = read_ods(path) if path.endswith(".ods") else read_xlsx(path)
    json.dump({"sheets": sheets}, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
