"""styrdok: municipal governing documents under version control."""

# Nothing is imported here: `styrdok` starts by installing its Ctrl-C handler (styrdok.__main__),
# and everything imported before that would be a window for a traceback.


def __getattr__(name: str) -> str:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("styrdok")
        except PackageNotFoundError:  # running from a source tree without installation
            return "0.0.0"
    raise AttributeError(f"module 'styrdok' has no attribute {name!r}")
