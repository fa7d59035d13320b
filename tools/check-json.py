#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Validate ipctrace --json outputs against docs/schema (JSON Schema 2020-12).

  tools/check-json.py [--schemas DIR] [--as KIND] FILE|DIR...

Each FILE is validated against the schema of its kind: --as KIND, else the
start of its name up to the first '-' (report-..., verify-..., compare-...,
probe-..., sweep-...: what tests/integration/harness.h names the outputs it
keeps; figures-...: one figures object). A DIR stands for the *.json files in it. Every error is printed with
the file and the path inside it.

Exit status: 0 all valid; 1 one or more invalid (or not JSON); 2 bad usage;
77 python3-jsonschema is not installed (the reason is printed: a check that
cannot run says so, it does not pass).
"""
import argparse
import json
import os
import pathlib
import sys
import warnings

KINDS = {
    "report": "report.json",  # run --json, trace --json
    "verify": "verify.json",
    "compare": "compare.json",
    "probe": "probe.json",
    "sweep": "sweep.json",
    "figures": "figures.json#/$defs/figures",  # one figures object (tests/unit/test_report.c)
}


def load_validators(schema_dir):
    """A validate(kind, doc) -> [errors] over the schemas of schema_dir."""
    try:
        import jsonschema
    except ImportError:
        print("check-json: skipped: python3-jsonschema is not installed "
              "(apt-get install python3-jsonschema)")
        sys.exit(77)
    schemas = {}
    for name in os.listdir(schema_dir):
        if name.endswith(".json"):
            path = pathlib.Path(schema_dir, name).resolve()
            with open(path, encoding="utf-8") as f:
                schemas[path.as_uri()] = json.load(f)
    cls = jsonschema.Draft202012Validator
    for uri, s in schemas.items():
        cls.check_schema(s)
    validators = {}
    for kind, name in KINDS.items():
        name, _, frag = name.partition("#")
        uri = pathlib.Path(schema_dir, name).resolve().as_uri()
        if uri not in schemas:
            sys.exit(f"check-json: {schema_dir}/{name}: no such schema")
        validators[kind] = make_validator(cls, schemas, uri, frag)
    return validators


def make_validator(cls, schemas, uri, frag):
    """A validator for schemas[uri] (at #frag) that resolves refs among schemas by file URI."""
    ref = {"$ref": uri + (f"#{frag}" if frag else "")}
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012
        registry = Registry().with_resources(
            (u, Resource(contents=s, specification=DRAFT202012)) for u, s in schemas.items())
        return cls(ref, registry=registry)
    except ImportError:  # Debian 12's 4.10
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            from jsonschema import RefResolver
            resolver = RefResolver(uri, schemas[uri], store=dict(schemas))
        return cls(ref, resolver=resolver)


def files_of(args):
    for a in args:
        p = pathlib.Path(a)
        if p.is_dir():
            yield from sorted(p.glob("*.json"))
        else:
            yield p


def check(path, kind, validators):
    """The error lines of one file."""
    if kind not in validators:
        return [f"{path}: no schema for kind '{kind}' (one of {', '.join(KINDS)})"]
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        return [f"{path}: not JSON: {e}"]
    from jsonschema.exceptions import best_match
    # of an anyOf's failures, the one that went deepest says what is wrong
    errs = [best_match([e]) for e in validators[kind].iter_errors(doc)]
    errs.sort(key=lambda e: list(map(str, e.absolute_path)))
    return [f"{path}: {kind}: at /{'/'.join(map(str, e.absolute_path))}: {e.message[:300]}"
            for e in errs]


def main():
    here = pathlib.Path(__file__).resolve().parent.parent
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--schemas", default=str(here / "docs" / "schema"))
    ap.add_argument("--as", dest="kind", choices=sorted(KINDS))
    ap.add_argument("files", nargs="+")
    try:
        a = ap.parse_args()
    except SystemExit as e:
        sys.exit(2 if e.code else 0)
    validators = load_validators(a.schemas)
    n = bad = 0
    for path in files_of(a.files):
        errs = check(path, a.kind or path.name.split("-", 1)[0], validators)
        n += 1
        bad += bool(errs)
        for e in errs:
            print(e)
    print(f"check-json: {n} file(s), {n - bad} valid, {bad} invalid")
    if n == 0:
        print("check-json: no JSON files given")
        sys.exit(1)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
