"""On PYTHONPATH, this makes a Python process one where recon's `calls` extra is not installed:
importing polars, pandas, numpy, holidays or phonenumbers fails as it does where they are absent
(ModuleNotFoundError), and importlib.util.find_spec does not find them. Worker processes started by
a build inherit PYTHONPATH, so they see the same. Used by tests/test_core.py."""
import sys

_EXTRA = frozenset({"polars", "pandas", "numpy", "holidays", "phonenumbers"})


class _NotInstalled:
    """A finder asked first: the extra's modules are not there; every other module is left to the
    finders after it (None: not this finder's)."""

    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in _EXTRA:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)


sys.meta_path.insert(0, _NotInstalled())
