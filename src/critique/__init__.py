"""critique-suite."""
from importlib.metadata import PackageNotFoundError, version as _version

try:  # the installed distribution's version (pyproject.toml); printed by `critique --version`
    __version__ = _version("critique-suite")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
