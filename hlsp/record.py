"""Immutable records: what every frozen value class of the package shares.

A record names its fields in ``__slots__``, in the order its constructor takes
them, and sets them in ``__init__`` with ``object.__setattr__``.  It is then
compared and hashed by value, refuses assignment, pickles through its
constructor (workers send findings back) and prints its fields.  (These classes
were dataclasses; ``dataclasses`` imports ``inspect``, ~10 ms of every start.)
"""

from __future__ import annotations


class Record:
    __slots__ = ()

    def _values(self) -> tuple:
        return tuple([getattr(self, name) for name in self.__slots__])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a {type(self).__name__}")

    def __reduce__(self) -> tuple:
        return (self.__class__, self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self.__slots__, self._values()))
        return f"{type(self).__name__}({fields})"
