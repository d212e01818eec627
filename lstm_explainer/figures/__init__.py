"""The site's figures, each with alt text and the table of its numbers.

`FIGURES` lists every figure by name; the MkDocs hook asks for them here.
"""
