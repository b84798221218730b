"""The offline editions: an EPUB 3 of the whole handbook and tagged PDFs (whole and per
pathway), built from the same models and renderers as the site."""
