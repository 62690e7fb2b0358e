#!/usr/bin/env python3
"""Generates intl/data/units.json, the CLDR unit names ICU4X 2.4 lacks.

ECMA-402's sanctioned units (kilobyte, celsius, percent, ...) need CLDR's
unit patterns; ICU4X 2.4's compiled data has them only for some durations.
This script reads the same CLDR release ICU4X 2.4 is built from (48), as the
npm package `cldr-units-full`, and keeps, per locale, the long/short/narrow
patterns by plural category of each sanctioned unit, its `perUnitPattern`
and the locale's `per` compound pattern. A regional locale keeps only what
differs from its language, so the file stays small.

Run it after changing the pinned version, and commit the output:

    python3 scripts/gen-cldr-units.py   # needs npm
"""
import json, os, subprocess, tarfile, tempfile

VERSION = "48.2.0"
UNITS = {  # ECMA-402 sanctioned unit -> CLDR unit key
    "acre": "area-acre", "bit": "digital-bit", "byte": "digital-byte",
    "celsius": "temperature-celsius", "centimeter": "length-centimeter",
    "day": "duration-day", "degree": "angle-degree", "fahrenheit": "temperature-fahrenheit",
    "fluid-ounce": "volume-fluid-ounce", "foot": "length-foot", "gallon": "volume-gallon",
    "gigabit": "digital-gigabit", "gigabyte": "digital-gigabyte", "gram": "mass-gram",
    "hectare": "area-hectare", "hour": "duration-hour", "inch": "length-inch",
    "kilobit": "digital-kilobit", "kilobyte": "digital-kilobyte", "kilogram": "mass-kilogram",
    "kilometer": "length-kilometer", "liter": "volume-liter", "megabit": "digital-megabit",
    "megabyte": "digital-megabyte", "meter": "length-meter", "microsecond": "duration-microsecond",
    "mile": "length-mile", "mile-scandinavian": "length-mile-scandinavian",
    "milliliter": "volume-milliliter", "millimeter": "length-millimeter",
    "millisecond": "duration-millisecond", "minute": "duration-minute", "month": "duration-month",
    "nanosecond": "duration-nanosecond", "ounce": "mass-ounce", "percent": "concentr-percent",
    "petabyte": "digital-petabyte", "pound": "mass-pound", "second": "duration-second",
    "stone": "mass-stone", "terabit": "digital-terabit", "terabyte": "digital-terabyte",
    "week": "duration-week", "yard": "length-yard", "year": "duration-year",
}
WIDTHS = ["long", "short", "narrow"]


def table(units):
    out = {}
    for width in WIDTHS:
        block = units.get(width, {})
        entry = {}
        per = block.get("per", {}).get("compoundUnitPattern")
        if per:
            entry["per"] = per
        for name, key in UNITS.items():
            data = block.get(key)
            if not data:
                continue
            unit = {k.split("-count-")[1]: v for k, v in data.items() if k.startswith("unitPattern-count-")}
            if "perUnitPattern" in data:
                unit["per"] = data["perUnitPattern"]
            entry[name] = unit
        out[width] = entry
    return out


def diff(child, parent):
    out = {}
    for width in WIDTHS:
        entry = child.get(width, {})
        d = {k: v for k, v in entry.items() if parent.get(width, {}).get(k) != v}
        # A name the parent has and this locale lacks (its narrow form equals
        # its short one) is marked null, so the reader stops looking.
        d.update({k: None for k in parent.get(width, {}) if k not in entry})
        if d:
            out[width] = d
    return out


def narrow_over_short(t):
    """Narrow keeps only what differs from short (the reader falls back)."""
    short = t.get("short", {})
    narrow = {k: v for k, v in t.get("narrow", {}).items() if short.get(k) != v}
    out = dict(t)
    out["narrow"] = narrow
    return out


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"cldr-units-full@{VERSION}"], cwd=tmp, check=True, capture_output=True)
        with tarfile.open(os.path.join(tmp, f"cldr-units-full-{VERSION}.tgz")) as tar:
            tar.extractall(tmp, filter="data")
        main_dir = os.path.join(tmp, "package", "main")
        tables = {}
        for locale in sorted(os.listdir(main_dir)):
            with open(os.path.join(main_dir, locale, "units.json"), encoding="utf-8") as f:
                tables[locale] = table(json.load(f)["main"][locale]["units"])
    tables = {k: narrow_over_short(v) for k, v in tables.items()}
    out = {}
    for locale, t in tables.items():
        # Parent: the next shorter tag, and for a language the root locale.
        parent = locale.rsplit("-", 1)[0] if "-" in locale else ("und" if locale != "und" else None)
        while parent and parent not in tables:
            parent = parent.rsplit("-", 1)[0] if "-" in parent else ("und" if parent != "und" else None)
        d = diff(t, tables[parent]) if parent else t
        if d or not parent or "-" not in locale:
            out[locale] = d
    path = os.path.join(root, "intl", "data", "units.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(f'{{"cldr": "{VERSION}",\n "locales": {{\n')
        f.write(",\n".join(f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False, separators=(',', ':'))}" for k, v in out.items()))
        f.write("\n}}\n")
    print(f"{path}: {len(out)} locales, {os.path.getsize(path)} bytes")


main()
