"""The managers' web pages: numbers and charts for the clinic, served by Starlette."""
