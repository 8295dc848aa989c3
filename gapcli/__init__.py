"""gapcli: a personal skill-gap tracker for the terminal.

The public Python API lives in :mod:`gapcli.api`; this module stays tiny so
that ``gapcli --help`` imports next to nothing.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
