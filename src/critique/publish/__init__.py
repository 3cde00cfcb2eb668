"""Publishing: the runner (validated parameters, atomic output), report builds, reader pages, key
findings, findings.json, the PDF, the workshop kit, country profiles and the ``critique`` command.

The last layer: it may import every other layer; nothing imports it except notebooks, which record
their findings through :mod:`critique.publish.findings`."""

import sys as _sys

# jsonschema (imported by nbformat, so by every process that reads or runs a notebook) imports
# rfc3987_syntax when it is installed, and that module builds a parser of the whole IRI grammar at
# import: about 2 CPU-s in every such process (issue 29). It serves only jsonschema's "iri" and
# "iri-reference" format checks, which no schema read here uses (nbformat's has no "format"), so it
# is kept out of processes that have not imported jsonschema yet.
if "jsonschema" not in _sys.modules:
    _sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  (None: "not importable")
