"""styrdok: municipal governing documents under version control."""

# Nothing is imported here: `styrdok` starts by installing its Ctrl-C handler (styrdok.__main__),
# and everything imported before that would be a window for a traceback.

# The release, as pyproject.toml's [project] version says (tests/test_startup.py holds them equal):
# a constant, so that no command reads the installed metadata (importlib.metadata) to start.
__version__ = "0.1.0"
