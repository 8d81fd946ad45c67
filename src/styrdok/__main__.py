"""The `styrdok` command's entry point: Ctrl-C at any moment ends it with "Avbrutet", exit 130.

Importing the command line pulls in click and binds every command's modules (each loads when
its command first uses it: see cli._lazy); a Ctrl-C during those imports would otherwise print a
traceback. Until they are done, SIGINT ends the process at once (nothing has been written yet);
afterwards, while a command loads its modules (YAML, Jinja, GitPython …) and runs, it is a
KeyboardInterrupt that the command line turns into the same message once temp files are cleaned up.
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
    from .cli import main as cli

    _signal.signal(_signal.SIGINT, previous)
    return cli()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
