"""Publishing: the runner (validated parameters, atomic output), report builds, reader pages, key
findings, findings.json, the PDF, the workshop kit, country profiles and the ``critique`` command.

The last layer: it may import every other layer; nothing imports it except notebooks, which record
their findings through :mod:`critique.publish.findings`."""
