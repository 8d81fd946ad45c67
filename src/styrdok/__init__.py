"""styrdok: municipal governing documents under version control."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("styrdok")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
