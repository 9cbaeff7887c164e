"""Find secrets still held in memory: what is reachable from an object, outside shared code.

Used by the card-memory tests (checkout and GUI) to show that a refused payment leaves no card
number or CVV reachable from the sale. Modules, classes, functions, code and module globals are
not walked: they are shared by everything and hold no sale data.
"""

from __future__ import annotations

import gc
import sys
import types

SHARED = (types.ModuleType, type, types.FunctionType, types.BuiltinFunctionType, types.CodeType)


def reachable_from(*roots) -> list:
    """Every object reachable from ``roots`` (instances, containers, frames, tracebacks...)."""
    module_dicts = {id(vars(m)) for m in list(sys.modules.values()) if m is not None}
    seen, todo, found = {id(r) for r in roots}, list(roots), []
    while todo:
        obj = todo.pop()
        found.append(obj)
        for ref in gc.get_referents(obj):
            if id(ref) in seen or isinstance(ref, SHARED) or id(ref) in module_dicts:
                continue
            seen.add(id(ref))
            todo.append(ref)
    return found


def holders_of(*roots, inside: tuple[str, ...] = (), equal: tuple[str, ...] = (), objects: tuple = ()) -> list:
    """What reachable from ``roots`` is one of ``objects``, or a string that contains one of
    ``inside`` (a card number, also within a longer text) or equals one of ``equal`` (a CVV)."""
    return [obj for obj in reachable_from(*roots)
            if any(obj is o for o in objects)
            or (isinstance(obj, str) and (obj in equal or any(s in obj for s in inside)))]
