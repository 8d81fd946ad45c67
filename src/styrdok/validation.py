"""The front matter schema's two validators: a quick yes or no, which almost every file gets, and
jsonschema's, which names every fault, for the others.

Importing jsonschema costs a build more than any converter it starts (0.03 s: its metaschemas,
referencing, rpds). The quick check is fastjsonschema's code for the schema, generated and
compiled once per user (styrdok.usercache) and run without importing either library. It is never
more lenient than jsonschema (its patterns end at `\\Z`, not before a final line break); a file it
refuses is judged again by jsonschema, whose verdict and messages are the ones reported.
"""

from __future__ import annotations

import importlib.util
import json
import marshal
from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

from . import usercache
from .files import packaged

if TYPE_CHECKING:
    import jsonschema

SCHEMA = "schema/policy.schema.json"
# the generated code's one import: its exception classes, given to it instead of the library
_IMPORT = "from fastjsonschema import JsonSchemaValueException, JsonSchemaValuesException\n"
# and its decimal import, for number checks: YAML makes no Decimal, so theirs is a type no value is
# (importing decimal is 2–6 ms of every build; a Decimal would fail the quick check, and jsonschema judge it)
_DECIMAL = "from decimal import Decimal\n"


class _NoDecimal:
    pass


class _Refused(ValueError):
    def __init__(self, message: str, *_args: Any, **_details: Any) -> None:
        super().__init__(message)


@cache
def schema_text() -> str:
    return packaged(SCHEMA).read_text("utf-8")


@cache
def schema() -> dict[str, Any]:
    return json.loads(schema_text())


def conforms(data: Any) -> bool:
    """Whether `data` is valid front matter; False also when the quick check is not to be had."""
    check = _quick_check()
    if check is None:
        return False
    try:
        check(data)
    except Exception:  # noqa: BLE001 - refused, or data it cannot judge: jsonschema judges it
        return False
    return True


def faults(data: Any) -> Iterator[jsonschema.ValidationError]:
    """Every way `data` breaks the schema (none: it is valid)."""
    return _validator().iter_errors(data)


@cache
def _validator() -> Any:
    """jsonschema's validator, made once per process (a check of 300 policies validates 300 front matters)."""
    import jsonschema

    return jsonschema.Draft202012Validator(schema())


@cache
def _quick_check() -> Callable[[Any], None] | None:
    name = usercache.key("schema-check", schema_text(), usercache.installed("fastjsonschema"),
                         importlib.util.MAGIC_NUMBER, usercache.source_of("validation"))
    try:
        code, function = marshal.loads(usercache.cached("schema-check", name, _compiled, ".marshal"))
    except Exception:  # noqa: BLE001 - no quick check (fastjsonschema missing or failing): jsonschema judges every file
        return None
    namespace: dict[str, Any] = {"JsonSchemaValueException": _Refused, "JsonSchemaValuesException": _Refused,
                                 "Decimal": _NoDecimal}
    exec(code, namespace)  # noqa: S102 - fastjsonschema's code for styrdok's own schema
    check = namespace.get(function)
    return check if callable(check) else None


def _compiled() -> bytes:
    """The quick check's code object and the name of its function, marshalled."""
    import fastjsonschema

    # use_default=False: no defaults written into the data, which is read as written
    code = fastjsonschema.compile_to_code(schema(), use_default=False)
    if code.count(_IMPORT) != 1 or code.count(_DECIMAL) > 1:
        raise ValueError("fastjsonschema's generated code imports something else")
    function = fastjsonschema.compile(schema(), use_default=False).__name__
    code = code.replace(_IMPORT, "").replace(_DECIMAL, "")
    return marshal.dumps((compile(code, f"<fastjsonschema: {SCHEMA}>", "exec"), function))

