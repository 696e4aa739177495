"""Build the optional C helper of the PDF reader; all other metadata is in pyproject.toml.

`optional=True`: without a C compiler the install still succeeds and
parsers/readers/pdf/glyphs.py runs the same loops in Python (slower, identical output).
"""

from setuptools import Extension, setup

setup(ext_modules=[Extension("parsers.readers.pdf._pdfchars", ["parsers/readers/pdf/_pdfchars.c"], optional=True)])
