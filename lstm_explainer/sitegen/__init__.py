"""Site generation helpers: build-time work for the MkDocs site."""
