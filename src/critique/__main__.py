"""``python -m critique``: the same as the ``critique`` command."""
import sys

from critique.publish.cli import main

sys.exit(main(sys.argv[1:]))
