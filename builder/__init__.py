"""reply-archive: a static site generator for archives of government replies."""

__version__ = "0.1.0"
