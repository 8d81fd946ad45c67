"""The `styrdok` command's entry point: Ctrl-C at any moment ends it with "Avbrutet", exit 130.

Importing the command line pulls in click and binds every command's modules (each loads when
its command first uses it: see cli._lazy); a Ctrl-C during those imports would otherwise print a
traceback. Until they are done, SIGINT ends the process at once (nothing has been written yet);
afterwards, while a command loads its modules (YAML, Jinja, GitPython …) and runs, it is a
KeyboardInterrupt that the command line turns into the same message once temp files are cleaned up.

A one-policy build gets a head start (styrdok.head_start): pandoc reads the policy meanwhile.

When the command is done, the process ends as at any exit (threads joined, exit handlers run,
output flushed) but without tearing the interpreter down object by object: 80 ms of a one-policy
build, more after a redline's trees.
"""

from __future__ import annotations

import os
import sys

import _signal  # type: ignore[import-not-found]  # the C module: `signal` would first import enum, re … — a window for a traceback

TYPE_CHECKING = False  # typing itself takes long to import; mypy reads this as typing.TYPE_CHECKING
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any

INTERRUPTED = "Avbrutet"
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def _interrupted_at_start(signum: int, frame: FrameType | None) -> None:
    os.write(2, f"\nstyrdok: {INTERRUPTED}\n".encode())
    os._exit(EXIT_INTERRUPTED)


def main() -> Any:
    previous = _signal.signal(_signal.SIGINT, _interrupted_at_start)
    from .head_start import begin

    begin(sys.argv[1:])  # pandoc reads the policy while the command line is imported
    from .cli import main as cli

    _signal.signal(_signal.SIGINT, previous)
    try:
        cli()
    except SystemExit as done:
        _end(done.code)
    return 0


def _end(code: Any) -> None:
    """Exit with `code` (as SystemExit would take it) without the interpreter's teardown, after what
    a normal exit does first; where this Python lacks those steps, the normal exit is left to do it."""
    import atexit
    import threading

    shutdown, run_handlers = getattr(threading, "_shutdown", None), getattr(atexit, "_run_exitfuncs", None)
    if shutdown is None or run_handlers is None:
        raise SystemExit(code)
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    shutdown()  # joins the threads, as at a normal exit (the pools' workers end here)
    run_handlers()  # logging, temp folders, multiprocessing …
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what a normal exit would also fail to write
            pass
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
