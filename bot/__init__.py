"""frontdesk: an honest, async front-desk assistant for a dental clinic."""

__version__ = "0.1.0"
