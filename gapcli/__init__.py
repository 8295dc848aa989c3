"""gapcli: a personal skill-gap tracker for the terminal.

This module stays tiny so that ``gapcli --help`` imports next to nothing; the
command line (:mod:`gapcli.cli`) is the interface.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
